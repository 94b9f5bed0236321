import { SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import { Counter, Histogram } from 'prom-client';
import { LATENCY_BUCKETS, processMetrics } from './metrics';
import { tracerOf, tracingEnabled } from './tracing';

let fetches: { seconds: Histogram; failures: Counter } | undefined;

/** Made on the first fetch: only a gateway fetches from subgraphs, so only its scrape shows them. */
function fetchMetrics(): NonNullable<typeof fetches> {
  return (fetches ??= {
    seconds: new Histogram({
      name: 'thads_subgraph_fetch_duration_seconds',
      help: 'Time of one HTTP request from the gateway to a subgraph (one fetch of a query plan), by subgraph.',
      labelNames: ['subgraph'],
      buckets: LATENCY_BUCKETS,
      registers: [processMetrics()],
    }),
    failures: new Counter({
      name: 'thads_subgraph_fetch_failures_total',
      help: 'Fetches from a subgraph that failed: no answer, or an HTTP status of 400 or more.',
      labelNames: ['subgraph'],
      registers: [processMetrics()],
    }),
  });
}

type Fetch = (url: string, init?: { headers?: Record<string, string> }) => Promise<{ status: number }>;

/**
 * Wraps the fetcher of one subgraph: times each request and, with tracing on, sends it in a
 * client span whose W3C `traceparent` header the subgraph continues, so the subgraph's spans
 * are children of this fetch (itself under Apollo Gateway's `gateway.fetch`).
 */
export function observedFetcher<F extends Fetch>(fetcher: F, subgraph: string): F {
  const metrics = fetchMetrics();
  return (async (url: string, init: Parameters<F>[1] = {}) => {
    const started = process.hrtime.bigint();
    const done = (failed: boolean) => {
      metrics.seconds.observe({ subgraph }, Number(process.hrtime.bigint() - started) / 1e9);
      if (failed) metrics.failures.inc({ subgraph });
    };
    if (!tracingEnabled()) {
      try {
        const response = await fetcher(url, init);
        done(response.status >= 400);
        return response;
      } catch (err) {
        done(true);
        throw err;
      }
    }
    const span = tracerOf('gateway').startSpan(`fetch ${subgraph}`, {
      kind: SpanKind.CLIENT,
      attributes: { 'thads.subgraph': subgraph, 'http.request.method': 'POST', 'url.full': url },
    });
    const headers: Record<string, string> = { ...init?.headers };
    propagation.inject(trace.setSpan(context.active(), span), headers);
    try {
      const response = await fetcher(url, { ...init, headers });
      span.setAttribute('http.response.status_code', response.status);
      if (response.status >= 400) span.setStatus({ code: SpanStatusCode.ERROR });
      done(response.status >= 400);
      return response;
    } catch (err) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      done(true);
      throw err;
    } finally {
      span.end();
    }
  }) as F;
}
