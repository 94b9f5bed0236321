import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { Client } from 'pg';
import WebSocket from 'ws';
import { FAMILIES, createApiKey, ensureApiKeyTable } from '@thads/kit';
import { signHs256 } from '@thads/gateway';
import { EMBEDDED_AUDIENCE, EMBEDDED_ISSUER } from '../../../cli/src/token-claims';
import { TEST_JWT_SECRET, token } from '../../support/auth';
import { gql, ACCEPT } from '../../support/graphql-client';
import { freePortRange, startHubProcess, type HubProcess } from '../../support/hub-process';
import { createTestDatabase, dropTestDatabase } from '../../support/test-db';

/**
 * The limits of a hub started with --secure, each attacked by a caller with valid
 * low-privilege credentials: budgets shared by an organisation's keys and tokens, a ceiling
 * for everyone, failed authentications held back per address, live subscriptions capped,
 * and inputs that used to crash a request (a NUL byte, a 3,000-deep query, a 2 MiB body)
 * refused with stable codes. After each, the hub still serves.
 */

const PER_PRINCIPAL = 10;
const GLOBAL = 40;
const AUTH_FAILURES = 5;
const PER_CONNECTION = 50;
const PER_PRINCIPAL_LIVE = 80;
const ORG = 'Cổng dữ liệu Tuyên Quang';
const MINISTRY_NAME = '{ ministry { name } }';

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: { data?: Record<string, any> | null; errors?: { message: string; extensions?: Record<string, any> }[] };
  reusedSocket: boolean;
}

/** One POST over node:http: from a chosen local address, or on a chosen keep-alive agent. */
function post(
  url: string,
  body: string | Buffer,
  headers: Record<string, string>,
  options: { agent?: Agent; localAddress?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent: options.agent,
        localAddress: options.localAddress,
        headers: { 'content-type': 'application/json', accept: ACCEPT, 'content-length': String(Buffer.byteLength(body)), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: RawResponse['body'];
          try {
            body = JSON.parse(text) as RawResponse['body'];
          } catch {
            body = { errors: [{ message: `not JSON: ${text.slice(0, 200)}` }] };
          }
          resolve({ status: res.statusCode!, headers: res.headers, body, reusedSocket: req.reusedSocket });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const codeOf = (res: { errors?: { extensions?: Record<string, unknown> }[] }) => res.errors?.[0]?.extensions?.code;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A token of a principal of its own (a subject no other request uses), so that checks do not spend the attacked budgets. */
let fresh = 0;
const ownPrincipal = (claims: Record<string, unknown> = {}) => {
  const now = Math.floor(Date.now() / 1000);
  return {
    authorization: `Bearer ${signHs256({ sub: `checker-${++fresh}`, role: 'ministry', units: [], families: FAMILIES, iss: EMBEDDED_ISSUER, aud: EMBEDDED_AUDIENCE, iat: now, exp: now + 600, ...claims }, TEST_JWT_SECRET)}`,
  };
};

/** A raw graphql-ws connection: every message it receives, and what it sends. */
async function liveConnection(url: string, connectionParams: Record<string, unknown>, localAddress?: string) {
  const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws', { localAddress });
  const messages: { id?: string; type: string; payload?: any }[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })));
  socket.on('message', (data) => messages.push(JSON.parse(String(data))));
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  socket.send(JSON.stringify({ type: 'connection_init', payload: connectionParams }));
  const until = async (predicate: () => boolean, ms = 20000) => {
    const deadline = Date.now() + ms;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out; last messages ${JSON.stringify(messages.slice(-3))}`);
      await sleep(20);
    }
  };
  return {
    socket,
    messages,
    closed,
    until,
    subscribe: (id: string, query: string, variables?: Record<string, unknown>) =>
      socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables } })),
    complete: (id: string) => socket.send(JSON.stringify({ id, type: 'complete' })),
    errorsOf: () => messages.filter((m) => m.type === 'error'),
  };
}

describe('limits and hostile inputs against a hub started with --secure', () => {
  let db: string;
  let hub: HubProcess;
  let port: number;
  let admin: Client;
  const subgraphUrls = () => [1, 2, 3, 4].map((i) => `http://127.0.0.1:${port + i}/graphql`);

  /** A normal query of a caller of its own still answers. */
  const stillServes = async () => {
    const res = await gql(hub.url, MINISTRY_NAME, undefined, ownPrincipal());
    expect([res.status, res.errors]).toEqual([200, undefined]);
    expect(res.data?.ministry.name).toMatch(/Bộ Tư pháp/);
  };

  beforeAll(async () => {
    db = await createTestDatabase('limits');
    port = await freePortRange(5);
    hub = await startHubProcess(db, port, ['--secure', '--cases', '300'], {
      RATE_LIMIT_PER_MINUTE: String(PER_PRINCIPAL),
      RATE_LIMIT_GLOBAL_PER_MINUTE: String(GLOBAL),
      AUTH_FAILURES_PER_WINDOW: String(AUTH_FAILURES),
      AUTH_FAILURE_WINDOW_S: '60',
      LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION: String(PER_CONNECTION),
      LIVE_MAX_SUBSCRIPTIONS_PER_PRINCIPAL: String(PER_PRINCIPAL_LIVE),
    });
    admin = new Client({ connectionString: db });
    await admin.connect();
    await ensureApiKeyTable(admin);
  }, 240000);

  afterAll(async () => {
    await admin?.end();
    await hub?.stop();
    if (db) await dropTestDatabase(db);
  });

  it('refuses a NUL byte (or another control character) in any string argument with BAD_USER_INPUT, at the gateway and at each subgraph', async () => {
    const h = ownPrincipal();
    const literal = await gql(hub.url, '{ unitByCode(code: "ha\\u0000noi") { id } }', undefined, h);
    expect([literal.status, codeOf(literal), literal.errors?.[0]?.extensions?.reason]).toEqual([400, 'BAD_USER_INPUT', 'CONTROL_CHARACTER']);
    const variable = await gql(hub.url, 'query($code: String!) { unitByCode(code: $code) { id } }', { code: 'ha\u0000noi' }, h);
    expect([variable.status, codeOf(variable), variable.errors?.[0]?.extensions?.variable]).toEqual([400, 'BAD_USER_INPUT', 'code']);
    const reporter = { authorization: `Bearer ${token('reporter', [1])}` };
    const write = await gql(
      hub.url,
      'mutation($input: ReceiveCaseInput!) { receiveCase(input: $input, idempotencyKey: "nul-1") { id } }',
      { input: { unitId: '2012', receivedOn: '2025-08-01', judgmentRef: '1/2025\u0000' } },
      reporter,
    );
    expect([write.status, codeOf(write)]).toEqual([400, 'BAD_USER_INPUT']);
    expect(codeOf(await gql(hub.url, '{ unitByCode(code: "x\\u0007") { id } }', undefined, h))).toBe('BAD_USER_INPUT');
    // Tabs and line breaks are text: the unit is simply not found.
    expect(codeOf(await gql(hub.url, 'query($code: String!) { unitByCode(code: $code) { id } }', { code: 'ha-noi\t' }, h))).toBe('UNIT_NOT_FOUND');
    for (const url of subgraphUrls()) {
      const res = await gql(url, 'query($code: String!) { unitByCode(code: $code) { id } }', { code: '\u0000' }, {});
      expect({ url, status: res.status, code: codeOf(res) }).toEqual({ url, status: 400, code: 'BAD_USER_INPUT' });
    }
    await stillServes();
  });

  it('refuses a 3,000-deep query with OPERATION_LIMIT before parsing it, over HTTP, at the subgraphs and over WebSocket', async () => {
    const deep = `{ ministry { ${'children { '.repeat(3000)}id${' }'.repeat(3000)} } }`;
    const res = await gql(hub.url, deep, undefined, ownPrincipal());
    expect([res.status, codeOf(res), res.errors?.[0]?.extensions?.limit]).toEqual([400, 'OPERATION_LIMIT', 'depth']);
    expect(JSON.stringify(res)).not.toMatch(/call stack/i);
    const deepList = `{ unitByCode(code: "ha-noi", asOf: ${'['.repeat(3000)}"2025-01-01"${']'.repeat(3000)}) { id } }`;
    expect(codeOf(await gql(hub.url, deepList, undefined, ownPrincipal()))).toBe('OPERATION_LIMIT');
    for (const url of subgraphUrls()) expect(codeOf(await gql(url, deep, undefined, {}))).toBe('OPERATION_LIMIT');
    const live = await liveConnection(hub.url, ownPrincipal());
    await live.until(() => live.messages.some((m) => m.type === 'connection_ack'));
    live.subscribe('deep', `subscription { liveMinistry { ${'children { '.repeat(3000)}id${' }'.repeat(3000)} } }`);
    await live.until(() => live.errorsOf().length === 1);
    expect(live.errorsOf()[0]!.payload[0].extensions.code).toBe('OPERATION_LIMIT');
    live.socket.close();
    await stillServes();
  });

  it('answers a 2 MiB body with 413 and a GraphQL error on the same connection, which then serves the next request', async () => {
    const big = JSON.stringify({ query: MINISTRY_NAME, variables: { padding: 'x'.repeat(2 * 1024 * 1024) } });
    for (const url of [hub.url, subgraphUrls()[0]!]) {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const refused = await post(url, big, ownPrincipal(), { agent });
      expect([refused.status, codeOf(refused.body), refused.body.errors?.[0]?.extensions?.maxBytes]).toEqual([413, 'PAYLOAD_TOO_LARGE', 1024 * 1024]);
      const next = await post(url, JSON.stringify({ query: '{ __typename }' }), ownPrincipal(), { agent });
      expect(next.reusedSocket).toBe(true);
      expect(next.status).toBe(url === hub.url ? 200 : 401); // a subgraph answers only the gateway
      agent.destroy();
    }
    await stillServes();
  });

  it('gives all keys and tokens of one organisation one budget', async () => {
    const keys = [];
    for (const i of [1, 2, 3]) keys.push(await createApiKey(admin, `Portal ${i}`, 'integrator', [1], ['units'], ORG));
    const results: { key: number; status: number; limit?: unknown }[] = [];
    for (let round = 0; round < 6; round++)
      for (const [i, k] of keys.entries()) {
        const res = await gql(hub.url, MINISTRY_NAME, undefined, { 'x-api-key': k.key });
        results.push({ key: i, status: res.status, limit: res.errors?.[0]?.extensions?.limit });
      }
    const served = results.filter((r) => r.status === 200).length;
    // One budget of 10 (and at most one token refilled meanwhile), not three.
    expect(served).toBeGreaterThanOrEqual(PER_PRINCIPAL);
    expect(served).toBeLessThanOrEqual(PER_PRINCIPAL + 1);
    const refused = results.filter((r) => r.status !== 200);
    expect(refused.every((r) => r.status === 429 && r.limit === 'principal')).toBe(true);
    expect(new Set(refused.map((r) => r.key))).toEqual(new Set([0, 1, 2]));
    // A token of the same organisation spends the same budget; another organisation's key has its own.
    const sameOrg = await gql(hub.url, MINISTRY_NAME, undefined, ownPrincipal({ org: ORG }));
    expect([sameOrg.status, codeOf(sameOrg)]).toEqual([429, 'RATE_LIMITED']);
    expect(Number(sameOrg.headers.get('retry-after'))).toBeGreaterThan(0);
    const other = await createApiKey(admin, 'Portal of another', 'integrator', [1], ['units'], 'Another organisation');
    expect((await gql(hub.url, MINISTRY_NAME, undefined, { 'x-api-key': other.key })).status).toBe(200);
    await stillServes();
  });

  it('holds back an address that keeps failing to authenticate, with a growing Retry-After, while keys that work go on working', async () => {
    const attacker = '127.0.0.2';
    const own = await createApiKey(admin, 'Attacker portal', 'integrator', [1], ['units'], 'Attacker');
    const unused = await createApiKey(admin, 'Unused portal', 'integrator', [1], ['units'], 'Unused');
    const body = JSON.stringify({ query: MINISTRY_NAME });
    expect((await post(hub.url, body, { 'x-api-key': own.key }, { localAddress: attacker })).status).toBe(200);
    const answers: RawResponse[] = [];
    for (let i = 0; i < 30; i++) answers.push(await post(hub.url, body, { 'x-api-key': `thads_${900000 + i}_${'0'.repeat(64)}` }, { localAddress: attacker }));
    expect(answers.map((a) => a.status)).toEqual([...Array<number>(AUTH_FAILURES + 1).fill(401), ...Array<number>(30 - AUTH_FAILURES - 1).fill(429)]);
    const held = answers.slice(AUTH_FAILURES + 1);
    expect(held.every((a) => codeOf(a.body) === 'RATE_LIMITED' && a.body.errors?.[0]?.extensions?.limit === 'authentication')).toBe(true);
    const waits = held.map((a) => Number(a.headers['retry-after']));
    expect(waits).toEqual(held.map((a) => a.body.errors?.[0]?.extensions?.retryAfter));
    expect(waits.every((w, i) => i === 0 || w >= waits[i - 1]!)).toBe(true);
    expect(waits.at(-1)).toBeGreaterThan(waits[0]! * 100);
    // The key seen working from that address still works; a key never seen waits like the guesses.
    expect((await post(hub.url, body, { 'x-api-key': own.key }, { localAddress: attacker })).status).toBe(200);
    expect((await post(hub.url, body, { 'x-api-key': unused.key }, { localAddress: attacker })).status).toBe(429);
    // Other addresses are not held back.
    expect((await post(hub.url, body, { 'x-api-key': unused.key }, { localAddress: '127.0.0.1' })).status).toBe(200);
    expect((await post(hub.url, body, { 'x-api-key': `thads_1_${'0'.repeat(64)}` }, { localAddress: '127.0.0.1' })).status).toBe(401);
    // A WebSocket from the held-back address is closed with 4429 before any lookup.
    const live = await liveConnection(hub.url, { 'x-api-key': `thads_2_${'0'.repeat(64)}` }, attacker);
    expect((await live.closed).code).toBe(4429);
    await stillServes();
  });

  it('caps the live subscriptions of one connection and of one principal; the connection goes on serving', async () => {
    const principal = ownPrincipal();
    const query = 'subscription { liveMinistry { name } }';
    const first = await liveConnection(hub.url, principal);
    await first.until(() => first.messages.some((m) => m.type === 'connection_ack'));
    for (let i = 0; i < 700; i++) first.subscribe(String(i), query);
    await first.until(() => first.errorsOf().length === 700 - PER_CONNECTION);
    expect(new Set(first.errorsOf().map((m) => `${m.payload[0].extensions.code}/${m.payload[0].extensions.limit}`))).toEqual(
      new Set(['SUBSCRIPTION_LIMIT/connection']),
    );
    const refusedIds = new Set(first.errorsOf().map((m) => m.id));
    const accepted = Array.from({ length: 700 }, (_v, i) => String(i)).filter((id) => !refusedIds.has(id));
    expect(accepted).toHaveLength(PER_CONNECTION);
    await first.until(() => first.messages.some((m) => m.type === 'next' && m.id === accepted[0]));
    // Still usable: one completed, another comes in and gets its value.
    first.complete(accepted[0]!);
    await sleep(200);
    first.subscribe('again', query);
    await first.until(() => first.messages.some((m) => m.type === 'next' && m.id === 'again'));

    // The same principal on a second connection has what is left of its 80.
    const second = await liveConnection(hub.url, principal);
    await second.until(() => second.messages.some((m) => m.type === 'connection_ack'));
    for (let i = 0; i < 100; i++) second.subscribe(String(i), query);
    await second.until(() => second.errorsOf().length === 100 - (PER_PRINCIPAL_LIVE - PER_CONNECTION));
    expect(new Set(second.errorsOf().map((m) => m.payload[0].extensions.limit))).toEqual(new Set(['principal']));
    // Closing the first connection gives its subscriptions back.
    first.socket.close();
    await first.closed;
    await sleep(300);
    second.subscribe('after', query);
    await second.until(() => second.messages.some((m) => m.type === 'next' && m.id === 'after'));
    expect(second.socket.readyState).toBe(WebSocket.OPEN);
    second.socket.close();
    await stillServes();
  }, 60000);

  it('keeps all callers together under the global ceiling, and serves again after the Retry-After', async () => {
    const statuses: { status: number; limit?: unknown; retryAfter?: string | null }[] = [];
    for (let i = 0; i < 3 * GLOBAL; i++) {
      const res = await gql(hub.url, MINISTRY_NAME, undefined, ownPrincipal());
      statuses.push({ status: res.status, limit: res.errors?.[0]?.extensions?.limit, retryAfter: res.headers.get('retry-after') });
      if (res.status !== 200) break;
    }
    const last = statuses.at(-1)!;
    // Every caller was new (each under its own budget of 10), yet the hub refused them together.
    expect([last.status, last.limit]).toEqual([429, 'global']);
    expect(statuses.length - 1).toBeLessThanOrEqual(GLOBAL);
    await sleep(Number(last.retryAfter) * 1000 + 200);
    await stillServes();
  }, 60000);
});
