import type { IncomingMessage, ServerResponse } from 'node:http';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace, type Span } from '@opentelemetry/api';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { METRICS_CONTENT_TYPE, ServiceMetrics } from './metrics';
import { operationOfSource } from './operation-names';
import { tracerOf, tracingEnabled } from './tracing';

/** What one /graphql request was, gathered while it runs and recorded when its answer is written. */
interface Observation {
  started: bigint;
  /** The request as read for Apollo Server (body or query string): the operation when nothing executed it. */
  request?: { method: string; search: string; body?: unknown };
  /** Set by the plugin once Apollo Server has answered it. */
  executed?: { name?: string | null; type?: string; codes: string[] };
  /** The body of an answer refused before execution (413, 401, 429, …): its error codes. */
  refusal?: string;
  span?: Span;
}

const byRequest = new WeakMap<IncomingMessage, Observation>();
const byGraphQLRequest = new WeakMap<object, Observation>();

/**
 * Ties the request Apollo Server is handed to the HTTP request it was read from, so that the
 * plugin (which sees only the former) fills in that request's observation.
 */
export function linkGraphQLRequest(req: IncomingMessage, request: { method: string; search: string; body?: unknown }): void {
  const observation = byRequest.get(req);
  if (!observation) return;
  observation.request = request;
  byGraphQLRequest.set(request, observation);
}

/** Notes an answer written without the executor (a refusal, a kept answer): its codes are read from it if it failed. */
export function noteAnswer(res: ServerResponse, answer: { status?: number; body: unknown }): void {
  if ((answer.status ?? 200) < 400) return;
  const observation = byRequest.get(res.req);
  const body = answer.body as string | Buffer | { kind?: string; string?: string };
  if (observation) observation.refusal = typeof body === 'string' || Buffer.isBuffer(body) ? body.toString() : body.string;
}

function codesOfBody(body: string | undefined): string[] | undefined {
  if (!body) return undefined;
  try {
    const errors = (JSON.parse(body) as { errors?: { extensions?: { code?: unknown } }[] }).errors;
    return Array.isArray(errors) && errors.length ? errors.map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR')) : undefined;
  } catch {
    return undefined;
  }
}

/** The operation of a request nobody executed, from its body or query string. */
function operationOfRequest(request: Observation['request']): { name?: string; type: string } {
  if (!request) return { type: 'unknown' };
  const fields =
    request.body && typeof request.body === 'object'
      ? (request.body as Record<string, unknown>)
      : Object.fromEntries(new URLSearchParams(request.search ?? '').entries());
  return operationOfSource(fields.query, fields.operationName);
}

const secondsSince = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e9;

/**
 * Counts and times every GraphQL request of one service, and with tracing on, runs each in a
 * server span that continues the caller's trace (the `traceparent` header the gateway sends).
 */
export class RequestObserver {
  readonly metrics: ServiceMetrics;

  constructor(readonly service: string) {
    this.metrics = new ServiceMetrics(service);
  }

  /** Runs one /graphql request; its metrics are recorded (and its span ended) once the answer is written. */
  serve(req: IncomingMessage, res: ServerResponse, run: () => Promise<void>): Promise<void> {
    const observation: Observation = { started: process.hrtime.bigint() };
    byRequest.set(req, observation);
    res.once('close', () => this.finish(res, observation));
    if (!tracingEnabled()) return run();
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = tracerOf(this.service).startSpan(
      `${req.method ?? 'GET'} /graphql`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method ?? 'GET', 'url.path': '/graphql' } },
      parent,
    );
    observation.span = span;
    return context.with(trace.setSpan(parent, span), run);
  }

  private finish(res: ServerResponse, observation: Observation): void {
    const status = res.statusCode;
    let { executed } = observation;
    if (!executed) {
      const fallback = status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST';
      const codes = status >= 400 ? (codesOfBody(observation.refusal) ?? [fallback]) : [];
      executed = { ...operationOfRequest(observation.request), codes };
    }
    this.metrics.record({ operation: executed.name, type: executed.type, codes: executed.codes, seconds: secondsSince(observation.started) });
    const span = observation.span;
    if (!span) return;
    span.setAttribute('http.response.status_code', status);
    if (executed.codes.length) span.setStatus({ code: SpanStatusCode.ERROR, message: [...new Set(executed.codes)].join(',') });
    span.end();
  }

  /**
   * Reads the operation and the error codes of each answer Apollo Server gives. Operations it
   * runs without an HTTP request of this process (the gateway's live refreshes and exports)
   * are recorded here, timed from their start.
   */
  plugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
    return {
      requestDidStart: async ({ request }) => {
        const observation = request.http ? byGraphQLRequest.get(request.http) : undefined;
        const started = process.hrtime.bigint();
        return {
          didResolveOperation: async ({ operationName, operation }) => {
            const span = observation?.span;
            if (!span || !operation) return;
            span.updateName(`${operation.operation} ${operationName ?? 'anonymous'}`);
            span.setAttribute('graphql.operation.type', operation.operation);
            if (operationName) span.setAttribute('graphql.operation.name', operationName);
          },
          willSendResponse: async ({ response, operationName, operation }) => {
            const body = response.body;
            const errors = body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors;
            const codes = (errors ?? []).map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
            const fromSource = operation ? undefined : operationOfSource(request.query, request.operationName);
            const executed = { name: operationName ?? fromSource?.name, type: operation?.operation ?? fromSource?.type, codes };
            if (observation) observation.executed = executed;
            else this.metrics.record({ operation: executed.name, type: executed.type, codes, seconds: secondsSince(started) });
          },
        };
      },
    };
  }
}

/** Answers a scrape: the service's metrics, the process's, and `extra` (the gateway's live layer). */
export function serveMetrics(res: ServerResponse, observer: RequestObserver, extra?: () => Promise<string>): void {
  observer.metrics.render(extra).then(
    (text) => {
      res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE });
      res.end(text);
    },
    () => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('metrics failed\n');
    },
  );
}
