import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { OperationNames } from './operation-names';
import { poolGauges } from './pools';

/** Prometheus' text exposition format, version 0.0.4. */
export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Upper bounds (seconds) of the request histograms: from an answer-cache hit to the 3,321 wards' answer. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

let processRegistry: Registry | undefined;

/**
 * What belongs to the process rather than to one service in it (several run in one process in
 * the tests): resident memory, CPU seconds, event-loop lag, heap, and the gateway's subgraph
 * fetches. Made on first use, so a process that serves no metrics collects none.
 */
export function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** One request as the metrics count it. */
export interface RequestRecord {
  operation: string | null | undefined;
  type: string | undefined;
  /** `extensions.code` of each error of the answer; empty when it has none. */
  codes: readonly string[];
  seconds: number;
}

/**
 * The metrics of one GraphQL service (a subgraph or the gateway): requests by operation name
 * and outcome, errors by code, latency by operation name, its database pools; rendered with
 * the process's metrics and, for the gateway, the live layer's.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly names = new OperationNames();
  private readonly requests = new Counter({
    name: 'thads_graphql_requests_total',
    help: 'GraphQL requests answered, by operation name, operation type and outcome (ok: no error in the answer; error: at least one).',
    labelNames: ['operation', 'type', 'outcome'],
    registers: [this.registry],
  });
  private readonly errors = new Counter({
    name: 'thads_graphql_errors_total',
    help: 'Errors in GraphQL answers, by operation name and extensions.code.',
    labelNames: ['operation', 'code'],
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'thads_graphql_request_duration_seconds',
    help: 'Time from a GraphQL request reaching the process to its answer written, by operation name.',
    labelNames: ['operation'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  constructor(readonly service: string) {
    poolGauges(this.registry, service);
  }

  record(request: RequestRecord): void {
    const operation = this.names.label(request.operation);
    this.requests.inc({ operation, type: request.type ?? 'unknown', outcome: request.codes.length ? 'error' : 'ok' });
    for (const code of request.codes) this.errors.inc({ operation, code });
    this.duration.observe({ operation }, request.seconds);
  }

  /** The text of a scrape: this service's metrics, the process's, then `extra` (the gateway's live layer). */
  async render(extra?: () => Promise<string>): Promise<string> {
    const parts = [await this.registry.metrics(), await processMetrics().metrics(), extra ? await extra() : ''];
    // prom-client writes NaN (an event-loop lag not measured yet) as "Nan"; the format says "NaN".
    return parts
      .map((p) => (p && !p.endsWith('\n') ? p + '\n' : p))
      .join('')
      .replace(/ Nan$/gm, ' NaN');
  }
}
