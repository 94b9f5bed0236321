import { gql, gqlData } from '../support/graphql-client';
import { freePortRange, startHubProcess, type HubProcess } from '../support/hub-process';
import { startOtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver';
import { parsePrometheusText, samplesOf, valueOf, type Sample } from '../support/prometheus-text';
import { createTestDatabase, dropTestDatabase } from '../support/test-db';

const SUBGRAPHS = ['org-units', 'cases', 'finances', 'complaints'];
const PERIOD = '(period: { year: 2025 })';
/** The hub is started with METRICS_TOKEN: every process's /metrics asks for it. */
const METRICS_TOKEN = 'metrics-token-of-the-observability-test';

async function scrape(origin: string): Promise<Sample[]> {
  const res = await fetch(`${origin}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(await res.text()).samples;
}

/** Waits until `found` returns something, polling the spans received so far. */
async function eventually<T>(found: () => T | undefined, what: string, ms = 20000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = found();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`no ${what} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('observability of a hub started as a user starts it: Prometheus metrics and OpenTelemetry traces', () => {
  let db: string;
  let hub: HubProcess;
  let base: number;
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  const origin = (i: number) => `http://127.0.0.1:${base + i}`;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    db = await createTestDatabase('obs');
    base = await freePortRange(5);
    hub = await startHubProcess(db, base, ['--cases', '1000'], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      METRICS_TOKEN,
    });
  }, 240000);

  afterAll(async () => {
    await hub?.stop();
    await receiver?.stop();
    if (db) await dropTestDatabase(db);
  });

  it('shows /metrics only to the METRICS_TOKEN, on the gateway and on every subgraph', async () => {
    for (let i = 0; i <= SUBGRAPHS.length; i++) {
      for (const authorization of [undefined, 'Bearer wrong-token', METRICS_TOKEN]) {
        const res = await fetch(`${origin(i)}/metrics`, { headers: authorization ? { authorization } : {} });
        expect(res.status).toBe(401);
        expect(await res.json()).toEqual({ error: expect.stringContaining('METRICS_TOKEN') });
      }
      expect(samplesOf(await scrape(origin(i)), 'process_cpu_seconds_total').length).toBe(1);
    }
  });

  it('counts requests by operation and outcome, errors by code, latency, subgraph fetches, pools and the process, on every process', async () => {
    const ok = await gqlData(
      hub.url,
      `query Province($code: String!) { unitByCode(code: $code) { name caseStats${PERIOD} { done } moneyStats${PERIOD} { done } } }`,
      {
        code: 'tuyen-quang',
      },
    );
    expect(ok.unitByCode.name).toBe('Tuyên Quang');
    const missing = await gql(hub.url, `query Missing { unit(id: "987654") { name complaintStats${PERIOD} { resolved } } }`);
    expect(missing.errors?.[0]?.extensions?.code).toBe('UNIT_NOT_FOUND');
    await gqlData(hub.url, `query Province($code: String!) { unitByCode(code: $code) { name caseStats${PERIOD} { done } moneyStats${PERIOD} { done } } }`, {
      code: 'tuyen-quang',
    }); // the same again: answered from the answer cache, still counted
    const unnamed = await gql(hub.url, `{ ministry { name } }`);
    expect(unnamed.errors).toBeUndefined();

    const gateway = await scrape(origin(0));
    expect(valueOf(gateway, 'thads_graphql_requests_total', { operation: 'Province', type: 'query', outcome: 'ok' })).toBe(2);
    expect(valueOf(gateway, 'thads_graphql_requests_total', { operation: 'Missing', type: 'query', outcome: 'error' })).toBe(1);
    expect(valueOf(gateway, 'thads_graphql_requests_total', { operation: 'anonymous', type: 'query', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(gateway, 'thads_graphql_errors_total', { operation: 'Missing', code: 'UNIT_NOT_FOUND' })).toBe(1);
    expect(valueOf(gateway, 'thads_graphql_errors_total', { operation: 'Province' })).toBe(0);
    // Latency: cumulative buckets ending with +Inf = the count.
    const buckets = samplesOf(gateway, 'thads_graphql_request_duration_seconds_bucket', { operation: 'Province' });
    expect(buckets.length).toBeGreaterThan(5);
    expect(buckets.map((b) => b.value)).toEqual([...buckets.map((b) => b.value)].sort((a, b) => a - b));
    expect(buckets.at(-1)).toMatchObject({ labels: { le: '+Inf' }, value: 2 });
    expect(valueOf(gateway, 'thads_graphql_request_duration_seconds_count', { operation: 'Province' })).toBe(2);
    expect(valueOf(gateway, 'thads_graphql_request_duration_seconds_sum', { operation: 'Province' })).toBeGreaterThan(0);
    // The gateway's fetches, per subgraph; Province read org-units, cases and finances.
    for (const subgraph of ['org-units', 'cases', 'finances']) {
      expect(valueOf(gateway, 'thads_subgraph_fetch_duration_seconds_count', { subgraph })).toBeGreaterThanOrEqual(1);
      expect(valueOf(gateway, 'thads_subgraph_fetch_duration_seconds_bucket', { subgraph, le: '+Inf' })).toBeGreaterThanOrEqual(1);
    }
    expect(samplesOf(gateway, 'thads_db_pool_max_connections', { pool: 'keys' })).toHaveLength(1);
    expect(valueOf(gateway, 'process_resident_memory_bytes')).toBeGreaterThan(10e6);
    expect(valueOf(gateway, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(samplesOf(gateway, 'nodejs_eventloop_lag_p99_seconds')).toHaveLength(1);
    // The live layer's and the caches' metrics are still there.
    expect(samplesOf(gateway, 'thads_live_executions_total')).toHaveLength(1);
    expect(valueOf(gateway, 'thads_answer_cache_hits_total')).toBeGreaterThanOrEqual(1);

    // Each subgraph, on loopback, without a signed identity.
    const scraped = Object.fromEntries(await Promise.all(SUBGRAPHS.map(async (name, i) => [name, await scrape(origin(i + 1))] as const)));
    const subgraphOps = (samples: Sample[], prefix: string, outcome: string) =>
      samplesOf(samples, 'thads_graphql_requests_total', { outcome })
        .filter((s) => s.labels.operation!.startsWith(prefix))
        .reduce((n, s) => n + s.value, 0);
    for (const name of ['org-units', 'cases', 'finances']) expect(subgraphOps(scraped[name]!, 'Province__', 'ok')).toBeGreaterThanOrEqual(1);
    expect(subgraphOps(scraped['org-units']!, 'Missing__', 'error')).toBe(1);
    expect(
      samplesOf(scraped['org-units']!, 'thads_graphql_errors_total', { code: 'UNIT_NOT_FOUND' }).filter((s) => s.labels.operation!.startsWith('Missing__')),
    ).toHaveLength(1);
    for (const name of SUBGRAPHS) {
      const samples = scraped[name]!;
      expect(valueOf(samples, 'thads_db_pool_max_connections', { pool: 'main' })).toBeGreaterThan(0);
      expect(valueOf(samples, 'thads_db_pool_connections', { pool: 'main' })).toBeGreaterThanOrEqual(1);
      expect(samplesOf(samples, 'thads_db_pool_idle_connections', { pool: 'main' })).toHaveLength(1);
      expect(samplesOf(samples, 'thads_db_pool_waiting_queries', { pool: 'main' })).toHaveLength(1);
      expect(valueOf(samples, 'process_resident_memory_bytes')).toBeGreaterThan(10e6);
      expect(samplesOf(samples, 'thads_subgraph_fetch_duration_seconds_count')).toHaveLength(0);
    }
    expect(valueOf(scraped.cases!, 'thads_db_pool_connections', { pool: 'reads' })).toBeGreaterThanOrEqual(1);
  });

  it('traces one query across the gateway and each subgraph it calls, in one trace, subgraph spans under the fetches', async () => {
    await gqlData(hub.url, `query Traced { unitByCode(code: "ha-noi") { name caseStats${PERIOD} { done } moneyStats${PERIOD} { done } } }`);
    const root = await eventually(() => receiver.spans.find((s) => s.name === 'query Traced' && s.service === 'thads-gateway'), "the gateway's request span");
    expect(root.parentSpanId).toBeUndefined();
    expect(root.attributes).toMatchObject({ 'graphql.operation.name': 'Traced', 'graphql.operation.type': 'query' });
    const subgraphRequests = (spans: ReceivedSpan[]) => spans.filter((s) => s.service !== 'thads-gateway' && s.kind === 2 /* SERVER */);
    const trace = await eventually(() => {
      const spans = receiver.spans.filter((s) => s.traceId === root.traceId);
      const services = new Set(subgraphRequests(spans).map((s) => s.service));
      return ['thads-org-units', 'thads-cases', 'thads-finances'].every((s) => services.has(s)) && spans.some((s) => s.name.startsWith('SELECT'))
        ? spans
        : undefined;
    }, 'spans of every subgraph called');
    const byId = new Map(trace.map((s) => [s.spanId, s]));
    const ancestors = (span: ReceivedSpan): ReceivedSpan[] => {
      const parent = span.parentSpanId ? byId.get(span.parentSpanId) : undefined;
      return parent ? [parent, ...ancestors(parent)] : [];
    };
    // Apollo Gateway's own spans nest under the request span.
    for (const name of ['gateway.request', 'gateway.plan', 'gateway.execute', 'gateway.fetch']) {
      const span = trace.find((s) => s.name === name);
      expect(span).toBeDefined();
      expect(ancestors(span!)).toContain(root);
    }
    // Each subgraph request: child of the gateway's fetch span for that subgraph, under Apollo's gateway.fetch.
    const requests = subgraphRequests(trace);
    expect(requests.length).toBeGreaterThanOrEqual(3);
    for (const request of requests) {
      const fetch = byId.get(request.parentSpanId!);
      expect(fetch).toMatchObject({ service: 'thads-gateway', name: `fetch ${request.service.replace(/^thads-/, '')}`, kind: 3 /* CLIENT */ });
      expect(byId.get(fetch!.parentSpanId!)?.name).toBe('gateway.fetch');
      expect(ancestors(request)).toContain(root);
      expect(request.name).toMatch(/^query Traced__/);
    }
    // Statements: one span each, under a subgraph request, named by verb and table, no values.
    const statements = trace.filter((s) => s.attributes['db.system'] === 'postgresql');
    expect(statements.length).toBeGreaterThanOrEqual(2);
    for (const statement of statements) {
      expect(statement.name).toMatch(/^[A-Z]+( [\w.]+)?$/);
      expect(Object.keys(statement.attributes)).not.toContain('db.statement');
      expect(ancestors(statement).some((s) => requests.includes(s))).toBe(true);
    }
    expect(JSON.stringify(statements)).not.toMatch(/ha-noi/);
  });
});
