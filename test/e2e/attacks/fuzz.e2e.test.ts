import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { Client } from 'pg';
import WebSocket from 'ws';
import { todayInVietnam } from '@thads/kit';
import { bearer, forwarded, signForwarded, token } from '../../support/auth';
import { ACCEPT, gql } from '../../support/graphql-client';
import { freePortRange, startHubProcess, type HubProcess } from '../../support/hub-process';
import { ROOT } from '../../support/pg-server';
import { createTestDatabase, dropTestDatabase } from '../../support/test-db';
import {
  EXTRA_OPERATIONS,
  LEAK,
  STABLE_CODES,
  anyJson,
  around,
  invalidUtf8,
  mutatedDocument,
  oddDate,
  oddNumber,
  oddNumberText,
  oddText,
  readmeOperations,
  schemaNames,
  spliceBytes,
} from '../../support/fuzz-inputs';

/**
 * Property-based fuzzing of a hub started with --secure, as separate processes: thousands of
 * random and mutated GraphQL requests, writes, import files and graphql-ws messages. Every
 * answer must be a clean refusal with a stable code (or data), never an internal error, a
 * stack, SQL or a server path; nothing refused may be written; no process may die.
 * FUZZ_RUNS=n raises every property to n runs (by hand: the suite keeps the defaults small).
 * A failure prints fast-check's seed and path: pass them back with { seed, path } to replay it.
 */

const RUNS = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : undefined;
const runs = (normal: number) => RUNS ?? normal;
const timeoutFor = (normal: number, msPerRun: number) => 60000 + runs(normal) * msPerRun;

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** One raw HTTP request; a reset or an unanswered connection rejects (the fuzz then fails). */
function send(url: string, method: string, headers: Record<string, string>, body?: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: body ? { ...headers, 'content-length': String(body.length) } : headers, timeout: 30000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer in 30 s from ${method} ${url}`)));
    req.on('error', (err) => reject(new Error(`connection failed (${err.message}) for ${method} ${url}`)));
    req.end(body);
  });
}

type GqlError = { message?: unknown; extensions?: Record<string, unknown> };

/** Errors as a client sees them: each with a stable code, none telling of the server's insides. */
function expectCleanErrors(errors: unknown, where: string): GqlError[] {
  if (!Array.isArray(errors) || errors.length === 0) throw new Error(`${where}: "errors" is not a non-empty list: ${JSON.stringify(errors)}`);
  for (const e of errors as GqlError[]) {
    const code = e?.extensions?.code;
    if (typeof code !== 'string' || !STABLE_CODES.has(code)) throw new Error(`${where}: unstable code ${String(code)} in ${JSON.stringify(e).slice(0, 600)}`);
    if (typeof e.message !== 'string') throw new Error(`${where}: an error without a message: ${JSON.stringify(e)}`);
    const text = JSON.stringify(e);
    if (LEAK.test(e.message) || 'stacktrace' in (e.extensions ?? {}) || text.includes(ROOT) || text.includes(tmpdir()))
      throw new Error(`${where}: an error tells of the server's insides: ${text.slice(0, 600)}`);
  }
  return errors as GqlError[];
}

/** A GraphQL answer over HTTP: an expected status, JSON, and data or clean errors. */
function expectCleanAnswer(answer: Answer, where: string, statuses: Set<number>): { data?: Record<string, unknown> | null; errors?: GqlError[] } {
  if (!statuses.has(answer.status)) throw new Error(`${where}: HTTP ${answer.status}: ${answer.text.slice(0, 600)}`);
  let body: { data?: Record<string, unknown> | null; errors?: GqlError[] };
  try {
    body = JSON.parse(answer.text) as typeof body;
  } catch {
    throw new Error(`${where}: HTTP ${answer.status} answered with something that is not JSON: ${answer.text.slice(0, 300)}`);
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error(`${where}: not a GraphQL answer: ${answer.text.slice(0, 300)}`);
  if (body.errors !== undefined) expectCleanErrors(body.errors, where);
  else if (!body.data) throw new Error(`${where}: neither data nor errors: ${answer.text.slice(0, 300)}`);
  return body;
}

/** The HTTP statuses a GraphQL request may get: served, refused as malformed, unauthenticated, forbidden, wrong method, too large, wrong media type, headers too large. */
const HTTP_STATUSES = new Set([200, 400, 401, 403, 405, 406, 413, 415, 431]);

describe('fuzzing a hub started with --secure', () => {
  let db: string;
  let hub: HubProcess;
  let port: number;
  let pg: Client;
  let importDir: string;
  let pids: number[];
  let baseline: unknown;
  let stopping = false;
  const today = todayInVietnam();
  const names = schemaNames();
  const documents = [...readmeOperations(), ...EXTRA_OPERATIONS];
  const enumOf = (name: string): string[] => {
    const sdl = readFileSync(join(ROOT, 'schema', 'api.graphql'), 'utf8');
    const block = new RegExp(`^enum ${name} \\{([\\s\\S]*?)^\\}`, 'm').exec(sdl)![1]!.replace(/"""[\s\S]*?"""/g, '');
    return [...block.matchAll(/^\s+([A-Z][A-Z0-9_]*)\s*$/gm)].map((m) => m[1]!);
  };
  /** Units, cases and petitions to aim at: the attacker's province (Tuyên Quang), another it does not report for (Lào Cai), and Hà Nội, which nobody here writes to. */
  const place = { mine: { province: 0, ward: 0 }, other: { province: 0, ward: 0 }, watched: { province: 0, ward: 0 } };
  const ids = { cases: [] as string[], petitions: [] as string[], moneyCases: [] as string[] };
  let writtenTables: string[] = [];
  const subgraphUrl = (i: number) => `http://127.0.0.1:${port + 1 + i}/graphql`;
  const watchedQuery = `{ unitByCode(code: "ha-noi") { name caseStats(period: { year: 2026 }) { toEnforce done completionRate }
      moneyStats(period: { year: 2026 }) { done collected } complaintStats(period: { year: 2026 }) { newlyReceived resolved } children { code } } }`;

  /** Rows of every table a write adds to: the facts, their records, the idempotency keys and the outboxes. */
  const counts = async (): Promise<Record<string, number>> => {
    const { rows } = await pg.query(writtenTables.map((t) => `SELECT '${t}' AS t, count(*)::int AS n FROM ${t}`).join(' UNION ALL '));
    return Object.fromEntries(rows.map((r: { t: string; n: number }) => [r.t, r.n]));
  };
  /** Lines the hub logged at level error or worse (pino: 50, 60): each an unexpected failure somewhere. */
  const loggedErrors = () =>
    hub.log.filter((line) => {
      try {
        return Number((JSON.parse(line) as { level?: number }).level) >= 50;
      } catch {
        return /"level":\s*(50|60)/.test(line);
      }
    });
  const childPids = () =>
    execFileSync('ps', ['-o', 'pid=', '--ppid', String(hub.child.pid)], { encoding: 'utf8' })
      .split('\n')
      .map((s) => Number(s.trim()))
      .filter((n) => n > 0)
      .sort();

  beforeAll(async () => {
    importDir = mkdtempSync(join(tmpdir(), 'thads-fuzz-imports-'));
    db = await createTestDatabase('fuzz');
    port = await freePortRange(5);
    hub = await startHubProcess(db, port, ['--secure', '--cases', '300'], {
      IMPORT_DIR: importDir,
      // The fuzz sends thousands of requests from one principal and many bad credentials: the limits are another test's.
      RATE_LIMIT_PER_MINUTE: '0',
      RATE_LIMIT_GLOBAL_PER_MINUTE: '0',
      AUTH_FAILURES_PER_WINDOW: '0',
      LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION: '0',
      LIVE_MAX_SUBSCRIPTIONS_PER_PRINCIPAL: '0',
    });
    // Should a process die, its last words are what a failure needs to be understood.
    hub.child.once('exit', (code, signal) => stopping || console.error(`the hub exited (${code ?? signal}):\n${hub.log.slice(-60).join('\n')}`));
    pg = new Client({ connectionString: db });
    await pg.connect();
    for (const [key, code] of [
      ['mine', 'tuyen-quang'],
      ['other', 'lao-cai'],
      ['watched', 'ha-noi'],
    ] as const) {
      const { rows } = await pg.query(
        `SELECT p.id AS province, min(w.id) AS ward FROM org_units.org_unit p JOIN org_units.org_unit w ON w.parent_id = p.id AND w.valid_to IS NULL
         WHERE p.code = $1 AND p.type = 'PROVINCE' AND p.valid_to IS NULL GROUP BY p.id`,
        [code],
      );
      place[key] = { province: Number(rows[0].province), ward: Number(rows[0].ward) };
    }
    ids.cases = (await pg.query(`SELECT id::text FROM cases.enforcement_case ORDER BY random() LIMIT 20`)).rows.map((r: { id: string }) => r.id);
    ids.moneyCases = (await pg.query(`SELECT case_id::text AS id FROM finances.case_money ORDER BY random() LIMIT 20`)).rows.map((r: { id: string }) => r.id);
    ids.petitions = (await pg.query(`SELECT id::text FROM complaints.petition ORDER BY random() LIMIT 20`)).rows.map((r: { id: string }) => r.id);
    writtenTables = (
      await pg.query(
        `SELECT table_schema || '.' || table_name AS t FROM information_schema.tables
         WHERE table_schema IN ('cases', 'finances', 'complaints') AND table_type = 'BASE TABLE'
           AND table_name !~ '(month|rollup|opening|fan_out|registry|migrations)' ORDER BY 1`,
      )
    ).rows.map((r: { t: string }) => r.t);
    pids = childPids();
    baseline = (await gql(hub.url, watchedQuery, undefined, bearer('ministry'))).data;
    expect(baseline).toBeTruthy();
  }, 240000);

  afterAll(async () => {
    stopping = true;
    await pg?.end();
    await hub?.stop();
    if (db) await dropTestDatabase(db);
    if (importDir) rmSync(importDir, { recursive: true, force: true });
  });

  /** Credentials of every kind: good ones of each role, forged, expired, absent. */
  const credentials = fc.constantFrom<Record<string, string>>(
    bearer('ministry'),
    bearer('ministry'),
    bearer('ministry'),
    {},
    { authorization: 'Bearer nope' },
    { authorization: `Bearer ${token('ministry', [], undefined, -120)}` },
    { 'x-api-key': `thads_1_${'0'.repeat(64)}` },
    { authorization: `Bearer ${token('province', [1])}` },
    { authorization: 'Basic YTpi' },
  );

  // Found by the fuzz below: an operationName that names no operation of the document reached the gateway's executor
  // without an operation, which read its type and failed with INTERNAL_SERVER_ERROR (HTTP 500).
  it('refuses an operationName that names no operation of the document, over GET and POST, as a request error', async () => {
    const query = '{ ministry { name } }';
    const get = await send(`${hub.url}?${new URLSearchParams({ query, operationName: 'X' }).toString()}`, 'GET', { ...bearer('ministry'), accept: ACCEPT });
    const post = await send(
      hub.url,
      'POST',
      { ...bearer('ministry'), accept: ACCEPT, 'content-type': 'application/json' },
      Buffer.from(JSON.stringify({ query, operationName: 'X' })),
    );
    for (const answer of [get, post]) {
      const body = expectCleanAnswer(answer, 'operationName X', HTTP_STATUSES);
      expect([answer.status, body.errors?.[0]?.extensions?.code]).toEqual([400, 'OPERATION_RESOLUTION_FAILURE']);
    }
  });

  // Found by the fuzz: Node answered a request line over 16 KiB with a bare 431 and no body.
  it('answers a GET whose query string is over 16 KiB with 431 and a BAD_REQUEST error', async () => {
    const answer = await send(
      `${hub.url}?${new URLSearchParams({ query: `{ ministry { name } } #${'x'.repeat(20000)}` }).toString()}`,
      'GET',
      bearer('ministry'),
    );
    const body = expectCleanAnswer(answer, 'long GET', HTTP_STATUSES);
    expect([answer.status, body.errors?.[0]?.extensions?.code]).toEqual([431, 'BAD_REQUEST']);
  });

  // Found by the fuzz: graphql-ws's server took a message of a type only servers send for a fault of its own (4500).
  it('closes a graphql-ws connection that sends a server-only message type (next) with 4400', async () => {
    const socket = new WebSocket(hub.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token('ministry')}` } }));
    socket.send(JSON.stringify({ type: 'next', id: ' ', payload: {} }));
    expect(await closed).toBe(4400);
  });

  it(
    'answers random and mutated GraphQL requests over HTTP with data or a stable error code, at the gateway and the subgraphs',
    async () => {
      const document = fc.oneof({ weight: 1, arbitrary: fc.constantFrom(...documents) }, { weight: 6, arbitrary: mutatedDocument(documents, names) });
      const variables = fc.option(
        fc.oneof(anyJson, fc.dictionary(fc.constantFrom('code', 'id', 'input', 'p', 'asOf', 'key', 'path', 'x'), anyJson, { maxKeys: 4 })),
        { nil: undefined },
      );
      const shape = fc.constantFrom(
        'plain',
        'plain',
        'plain',
        'plain',
        'batched',
        'queryNumber',
        'queryObject',
        'queryArray',
        'missingQuery',
        'bareNumber',
        'bareArray',
        'bareString',
        'rawDocument',
        'truncated',
        'persisted',
        'documentId',
        'extensions',
      );
      const requestArb = fc.record({
        target: fc.oneof({ weight: 4, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 3 }) }),
        method: fc.oneof(
          { weight: 6, arbitrary: fc.constant('POST') },
          { weight: 3, arbitrary: fc.constant('GET') },
          fc.constantFrom('PUT', 'DELETE', 'PATCH', 'OPTIONS'),
        ),
        contentType: fc.constantFrom<string | undefined>(
          'application/json',
          'application/json',
          'application/json',
          'application/json; charset=utf-8',
          'application/graphql-response+json',
          'text/plain',
          'application/graphql',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/json; charset=utf-16',
          undefined,
        ),
        accept: fc.constantFrom<string | undefined>(ACCEPT, 'application/json', 'application/graphql-response+json', '*/*', 'text/html', undefined),
        credentials,
        document,
        variables,
        operationName: fc.option(fc.oneof(fc.constantFrom('Province', 'Live', 'X'), oddText), { nil: undefined }),
        shape,
        bytes: fc.option(fc.tuple(invalidUtf8, fc.double({ min: 0, max: 1, noNaN: true })), { nil: undefined }),
        junk: anyJson,
      });
      const seen = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(requestArb, async (r) => {
          const url = r.target < 0 ? hub.url : subgraphUrl(r.target);
          const headers: Record<string, string> = { ...(r.target < 0 ? r.credentials : {}) };
          if (r.contentType) headers['content-type'] = r.contentType;
          if (r.accept) headers.accept = r.accept;
          let target = url;
          let body: Buffer | undefined;
          if (r.method === 'GET') {
            const params = new URLSearchParams({ query: r.document });
            if (r.variables !== undefined) params.set('variables', JSON.stringify(r.variables));
            if (r.operationName !== undefined) params.set('operationName', r.operationName);
            if (r.shape === 'extensions') params.set('extensions', JSON.stringify(r.junk));
            target = `${url}?${params.toString()}`;
          } else {
            const one = { query: r.document, variables: r.variables, operationName: r.operationName };
            const payloads: Record<string, unknown> = {
              plain: one,
              batched: [one, one, { query: r.junk }],
              queryNumber: { query: 42 },
              queryObject: { query: { query: r.document } },
              queryArray: { query: [r.document] },
              missingQuery: { variables: r.variables },
              bareNumber: 7,
              bareArray: [1, 2, 3],
              bareString: r.document,
              persisted: { ...one, extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } },
              documentId: { documentId: r.junk, variables: r.variables },
              extensions: { ...one, extensions: r.junk },
            };
            let text = r.shape === 'rawDocument' ? r.document : JSON.stringify(payloads[r.shape] ?? one);
            if (r.shape === 'truncated') text = text.slice(0, Math.floor(text.length / 2));
            body = r.bytes ? spliceBytes(text, r.bytes[0], r.bytes[1]) : Buffer.from(text, 'utf8');
          }
          // A subgraph answers only what the gateway signed: sign most, so that their parsers and resolvers are reached too.
          const sent = r.target >= 0 ? await signForwarded(target, r.method, body?.toString('utf8') ?? '', { ...headers, ...forwarded() }) : headers;
          const answer = await send(target, r.method, sent, body);
          seen.set(`${answer.status}`, (seen.get(`${answer.status}`) ?? 0) + 1);
          const where = `${r.method} ${target.slice(0, 200)} (${r.shape})`;
          // OPTIONS is a preflight, answered with no content; every other method is a GraphQL request.
          if (r.method === 'OPTIONS' && answer.status === 204) expect(answer.text).toBe('');
          else expectCleanAnswer(answer, where, HTTP_STATUSES);
        }),
        { numRuns: runs(1500), verbose: 1 },
      );
      // The fuzz reached every kind of answer, not only one refusal.
      expect([...seen.keys()]).toEqual(expect.arrayContaining(['200', '400', '401']));
      expect(loggedErrors()).toEqual([]);
    },
    timeoutFor(1500, 100),
  );

  it(
    'refuses random writes with stable codes and writes nothing for any refused one',
    async () => {
      const key = fc.oneof(fc.uuid(), fc.constantFrom('fuzz-fixed-key', 'fuzz-fixed-key-2'), oddText);
      const unitId = around(fc.constantFrom(place.mine.ward, place.mine.province, place.other.ward, place.watched.ward, 1, 999999).map(String));
      const caseId = around(fc.constantFrom(...ids.cases, ...ids.moneyCases, '999999999999', '1'));
      const petitionId = around(fc.constantFrom(...ids.petitions, '999999999'));
      const date = fc.oneof(fc.constant(today), oddDate, around(fc.constantFrom('2025-06-30', '2025-07-01', '2026-01-15')));
      const amount = fc.oneof(oddNumberText, around(fc.constantFrom('1000000', '0', '1000000000000000', '1000000000000001')), oddNumber);
      const categories = around(fc.array(fc.constantFrom(...enumOf('CaseCategory'), 'NOPE'), { maxLength: 4 }));
      const enumValue = (name: string) => around(fc.constantFrom(...enumOf(name), 'NOPE'));
      /** Each write the hub has, its values from the generators above. */
      const writes = fc.oneof(
        fc
          .record({ v: fc.record({ input: fc.record({ unitId, receivedOn: date, judgmentRef: around(fc.constant('1/2026/DS-ST')), categories }), key }) })
          .map(({ v }) => ({
            query: 'mutation($input: ReceiveCaseInput!, $key: String!) { receiveCase(input: $input, idempotencyKey: $key) { id status } }',
            variables: v as Record<string, unknown>,
          })),
        fc.record({ input: fc.record({ caseId, kind: enumValue('CaseEventKind'), occurredOn: date }), key }).map((v) => ({
          query: 'mutation($input: CaseEventInput!, $key: String!) { recordCaseEvent(input: $input, idempotencyKey: $key) { id status } }',
          variables: v as Record<string, unknown>,
        })),
        fc.record({ caseId, unitId, d: date, amount, c: categories, key }).map((v) => ({
          query:
            'mutation($caseId: ID!, $unitId: ID!, $d: Date!, $amount: VND!, $c: [CaseCategory!]!, $key: String!) { receiveCaseMoney(caseId: $caseId, unitId: $unitId, receivedOn: $d, amount: $amount, categories: $c, idempotencyKey: $key) { __typename } }',
          variables: v as Record<string, unknown>,
        })),
        fc.record({ caseId, d: date, amount, key }).map((v) => ({
          query:
            'mutation($caseId: ID!, $d: Date!, $amount: VND!, $key: String!) { recordCollection(caseId: $caseId, collectedOn: $d, amount: $amount, idempotencyKey: $key) { __typename } }',
          variables: v as Record<string, unknown>,
        })),
        fc.record({ caseId, k: enumValue('MoneyEventKind'), d: date, key }).map((v) => ({
          query:
            'mutation($caseId: ID!, $k: MoneyEventKind!, $d: Date!, $key: String!) { recordMoneyEvent(caseId: $caseId, kind: $k, occurredOn: $d, idempotencyKey: $key) { __typename } }',
          variables: v as Record<string, unknown>,
        })),
        fc.record({ unitId, k: enumValue('PetitionKind'), d: date, key }).map((v) => ({
          query:
            'mutation($unitId: ID!, $k: PetitionKind!, $d: Date!, $key: String!) { receivePetition(unitId: $unitId, kind: $k, receivedOn: $d, idempotencyKey: $key) { __typename } }',
          variables: v as Record<string, unknown>,
        })),
        fc.record({ petitionId, d: date, key }).map((v) => ({
          query:
            'mutation($petitionId: ID!, $d: Date!, $key: String!) { resolvePetition(petitionId: $petitionId, resolvedOn: $d, idempotencyKey: $key) { __typename } }',
          variables: v as Record<string, unknown>,
        })),
        fc.record({ unitId, d: date, n: around(fc.integer({ min: -5, max: 20000 })), key }).map((v) => ({
          query:
            'mutation($unitId: ID!, $d: Date!, $n: Int!, $key: String!) { recordCitizenReception(unitId: $unitId, receivedOn: $d, citizens: $n, idempotencyKey: $key) }',
          variables: v as Record<string, unknown>,
        })),
        fc.record({ unitId, d: date, ref: around(fc.constant('12/2026/HC')), w: around(fc.boolean()), key }).map((v) => ({
          query:
            'mutation($unitId: ID!, $d: Date!, $ref: String!, $w: Boolean!, $key: String!) { monitorAdminJudgment(unitId: $unitId, receivedOn: $d, judgmentRef: $ref, withDecision: $w, idempotencyKey: $key) { __typename } }',
          variables: v as Record<string, unknown>,
        })),
        fc.record({ unitId, y: around(fc.integer({ min: 2020, max: 2030 })), a: around(fc.double()), b: around(fc.double()) }).map((v) => ({
          query:
            'mutation($unitId: ID!, $y: Int!, $a: Float!, $b: Float!) { setTarget(unitId: $unitId, year: $y, caseRate: $a, moneyRate: $b) { __typename } }',
          variables: v as Record<string, unknown>,
        })),
      );
      const writer = fc.constantFrom(
        ...Array<Record<string, string>>(6).fill(bearer('reporter', [place.mine.province])),
        bearer('reporter', [place.other.province]),
        bearer('province', [place.mine.province]),
        bearer('integrator', [1]),
      );
      let applied = 0;
      let refused = 0;
      await fc.assert(
        fc.asyncProperty(writes, writer, async (w, headers) => {
          const before = await counts();
          const answer = await send(hub.url, 'POST', { 'content-type': 'application/json', accept: ACCEPT, ...headers }, Buffer.from(JSON.stringify(w)));
          const body = expectCleanAnswer(answer, w.query.slice(0, 60), HTTP_STATUSES);
          if (body.errors) {
            refused++;
            // A refused write leaves every table as it was (idempotency keys and outboxes included).
            expect({ write: w, rows: await counts() }).toEqual({ write: w, rows: before });
          } else applied++;
        }),
        { numRuns: runs(300), verbose: 1 },
      );
      expect(refused).toBeGreaterThan(applied);
      expect(loggedErrors()).toEqual([]);
    },
    timeoutFor(300, 300),
  );

  it(
    'refuses random and mutated import lines with the number of the line at fault, all or nothing',
    async () => {
      let nextCase = 9_300_000_000 + Math.floor(Math.random() * 1_000_000) * 100;
      let nextPetition = 8_300_000_000 + Math.floor(Math.random() * 1_000_000) * 100;
      const unitId = around(fc.constantFrom(place.mine.ward, place.other.ward, 999999).map(String));
      const date = fc.oneof(fc.constant(today), oddDate);
      const caseId = around(
        fc.oneof(
          fc.constantFrom(...ids.cases),
          fc.constant(null).map(() => String(nextCase++)),
        ),
      );
      const petitionId = around(
        fc.oneof(
          fc.constantFrom(...ids.petitions),
          fc.constant(null).map(() => String(nextPetition++)),
        ),
      );
      const amount = fc.oneof(oddNumberText, oddNumber, fc.constantFrom('5000000', 5000000));
      const categories = around(fc.constantFrom(['STATE_BUDGET'], 'STATE_BUDGET;NOPE', []));
      const kindOf = (prefix: string, name: string) => around(fc.constantFrom(...enumOf(name).map((k) => `${prefix}${k}`)));
      const line = fc.oneof(
        fc.record({ event: fc.constant('CASE_RECEIVED'), caseId, unitId, date, judgmentRef: around(fc.constant('3/2026/DS-ST')), categories }),
        fc.record({ event: kindOf('CASE_', 'CaseEventKind'), caseId, date }),
        fc.record({ event: fc.constant('MONEY_RECEIVED'), caseId, unitId, date, amount, categories }),
        fc.record({ event: kindOf('MONEY_', 'MoneyEventKind'), caseId, date, amount }),
        fc.record({ event: around(fc.constant('PETITION_RECEIVED')), petitionId, unitId, kind: around(fc.constantFrom(...enumOf('PetitionKind'))), date }),
        fc.record({ event: fc.constant('PETITION_RESOLVED'), petitionId, date }),
        fc.record({ event: fc.constant('CITIZENS_RECEIVED'), unitId, date, citizens: around(fc.integer({ min: -1, max: 10001 })) }),
      );
      /** A line as written: whole, with a field dropped or added, or something that is no event at all. */
      const writtenLine = fc.oneof(
        { weight: 6, arbitrary: line.map((l) => ({ fields: l as Record<string, unknown> })) },
        { weight: 1, arbitrary: fc.tuple(line, fc.nat()).map(([l, n]) => ({ fields: Object.fromEntries(Object.entries(l).filter((_e, i) => i !== n % 6)) })) },
        {
          weight: 1,
          arbitrary: fc.tuple(line, anyJson).map(([l, extra]) => ({ fields: { ...(l as Record<string, unknown>), extra } as Record<string, unknown> })),
        },
        {
          weight: 1,
          arbitrary: fc
            .oneof(
              oddText,
              anyJson.map((j) => JSON.stringify(j) ?? ''),
            )
            .map((raw) => ({ raw: String(raw) })),
        },
      );
      const file = fc.record({
        format: fc.constantFrom('ndjson', 'csv'),
        lines: fc.array(writtenLine, { minLength: 1, maxLength: 6 }),
        bytes: fc.option(fc.tuple(invalidUtf8, fc.double({ min: 0, max: 1, noNaN: true })), { nil: undefined }),
        mutation: fc.constantFrom('importCaseEvents', 'importMoneyEvents', 'importComplaintEvents'),
        reporter: fc.constantFrom(place.mine.province, place.mine.province, place.other.province),
      });
      const csvField = (v: unknown) => {
        const text = v === undefined ? '' : Array.isArray(v) ? v.join(';') : typeof v === 'string' ? v : JSON.stringify(v);
        return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
      };
      let n = 0;
      let applied = 0;
      await fc.assert(
        fc.asyncProperty(file, async (f) => {
          let text: string;
          if (f.format === 'ndjson') text = f.lines.map((l) => ('raw' in l ? l.raw : JSON.stringify(l.fields))).join('\n');
          else {
            const header = [...new Set(f.lines.flatMap((l) => ('fields' in l ? Object.keys(l.fields) : ['event'])))];
            text = [header.join(','), ...f.lines.map((l) => ('raw' in l ? l.raw : header.map((h) => csvField(l.fields[h])).join(',')))].join('\n');
          }
          const name = `fuzz-${n++}.${f.format}`;
          const bytes = f.bytes ? spliceBytes(text, f.bytes[0], f.bytes[1]) : Buffer.from(text, 'utf8');
          writeFileSync(join(importDir, name), bytes);
          const physicalLines = bytes.toString('utf8').split('\n').length;
          const before = await counts();
          const res = await gql(
            hub.url,
            `mutation($path: String!) { ${f.mutation}(path: $path) { applied skipped } }`,
            { path: name },
            bearer('reporter', [f.reporter]),
          );
          const where = `${f.mutation} of ${JSON.stringify(bytes.toString('utf8')).slice(0, 800)}`;
          if (!res.errors) {
            expect(res.data?.[f.mutation]).toEqual({ applied: expect.any(Number), skipped: expect.any(Number) });
            applied++;
            return;
          }
          const [error] = expectCleanErrors(res.errors, where);
          const line = error!.extensions?.line;
          // Whatever is wrong with a line is said with its number, and that line is in the file.
          if (error!.extensions?.code === 'IMPORT_REJECTED' || line !== undefined) {
            expect({ where, line }).toEqual({ where, line: expect.any(Number) });
            expect(line).toBeGreaterThanOrEqual(1);
            expect(line).toBeLessThanOrEqual(physicalLines);
            expect(error!.message).toMatch(new RegExp(`^Line ${String(line)}: `));
          }
          expect({ where, rows: await counts() }).toEqual({ where, rows: before });
        }),
        { numRuns: runs(200), verbose: 1 },
      );
      expect(applied).toBeLessThan(runs(200));
      expect(loggedErrors()).toEqual([]);
    },
    timeoutFor(200, 400),
  );

  it(
    'closes a graphql-ws connection sent random and mutated messages with a 44xx code, or answers with an error, and never crashes',
    async () => {
      const subscriptions = documents.filter((d) => d.startsWith('subscription'));
      const goodInit = { type: 'connection_init', payload: { authorization: `Bearer ${token('ministry')}` } };
      const id = fc.oneof(fc.constantFrom('1', '2', '1', ''), oddText, oddNumber, fc.constant(null), fc.constant(undefined));
      const subscribe = fc.record({
        type: fc.constant('subscribe'),
        id,
        payload: fc.oneof(
          {
            weight: 4,
            arbitrary: fc.record({
              query: fc.oneof(fc.constantFrom(...subscriptions), mutatedDocument(subscriptions, names), mutatedDocument(documents, names)),
              variables: fc.option(anyJson, { nil: undefined }),
            }),
          },
          { weight: 1, arbitrary: anyJson },
          { weight: 1, arbitrary: fc.record({ query: anyJson, operationName: anyJson }) },
        ),
      });
      const message: fc.Arbitrary<string | Buffer> = fc.oneof(
        { weight: 4, arbitrary: subscribe.map((m) => JSON.stringify(m)) },
        { weight: 2, arbitrary: fc.constant(JSON.stringify(goodInit)) },
        fc.record({ type: fc.constant('connection_init'), payload: anyJson }).map((m) => JSON.stringify(m)),
        fc.record({ type: fc.constantFrom('complete', 'ping', 'pong'), id, payload: fc.option(anyJson, { nil: undefined }) }).map((m) => JSON.stringify(m)),
        fc
          .record({
            type: fc.oneof(oddText, oddNumber, fc.constantFrom('next', 'error', 'connection_ack', 'start', 'stop', 'connection_terminate')),
            id,
            payload: anyJson,
          })
          .map((m) => JSON.stringify(m)),
        anyJson.map((j) => JSON.stringify(j) ?? 'undefined'),
        fc.constantFrom('', '{', 'nope', '{"type":', '\u0000', '{"type":"subscribe","id":"1","payload":{"query":"subscription { liveMinistry { name } }"}}x'),
        fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
        fc.tuple(fc.constant(JSON.stringify(goodInit)), invalidUtf8, fc.double({ min: 0, max: 1, noNaN: true })).map(([t, b, w]) => spliceBytes(t, b, w)),
      );
      const session = fc.record({
        protocol: fc.oneof({ weight: 8, arbitrary: fc.constant('graphql-transport-ws') }, fc.constantFrom('graphql-ws', 'x', '')),
        init: fc.boolean(),
        messages: fc.array(fc.record({ message, binary: fc.boolean() }), { minLength: 1, maxLength: 8 }),
        huge: fc.nat({ max: 40 }).map((n) => n === 0),
      });
      const closeCodes = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(session, async (s) => {
          const socket = new WebSocket(hub.url.replace(/^http/, 'ws'), s.protocol ? s.protocol : undefined);
          const received: string[] = [];
          let lastActivity = Date.now();
          const closed = new Promise<{ code: number; reason: string }>((resolve) =>
            socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
          );
          socket.on('message', (data) => {
            received.push(String(data));
            lastActivity = Date.now();
          });
          const failed = new Promise<Error>((resolve) => socket.once('error', resolve));
          const opened = await Promise.race([new Promise<true>((resolve) => socket.once('open', () => resolve(true))), failed]);
          if (opened !== true) {
            // A subprotocol other than graphql-ws's: the server takes none, which the client library refuses before any message.
            if (s.protocol !== 'graphql-transport-ws' && /subprotocol/i.test(opened.message)) return;
            throw new Error(`the WebSocket did not open: ${opened.message}`);
          }
          const sendRaw = (m: string | Buffer, binary: boolean) => {
            if (socket.readyState === WebSocket.OPEN) socket.send(typeof m === 'string' && binary ? Buffer.from(m) : m, { binary });
          };
          if (s.init) sendRaw(JSON.stringify(goodInit), false);
          for (const m of s.messages) sendRaw(m.message, m.binary);
          // A message over the 1 MiB a connection reads.
          if (s.huge)
            sendRaw(
              JSON.stringify({ type: 'subscribe', id: 'big', payload: { query: `subscription { liveMinistry { name } } #${'x'.repeat(1100000)}` } }),
              false,
            );
          // Quiet for a while, or closed: the server has said all it will.
          let close: { code: number; reason: string } | undefined;
          void closed.then((c) => (close = c));
          while (!close && Date.now() - lastActivity < 150) await new Promise((r) => setTimeout(r, 25));
          const where = `graphql-ws session ${JSON.stringify(s).slice(0, 800)}`;
          for (const text of received) {
            let m: { type?: string; id?: unknown; payload?: any };
            try {
              m = JSON.parse(text) as typeof m;
            } catch {
              throw new Error(`${where}: a message that is not JSON: ${text.slice(0, 200)}`);
            }
            expect({ where, type: m.type }).toEqual({ where, type: expect.stringMatching(/^(connection_ack|next|error|complete|ping|pong)$/) });
            if (m.type === 'error') expectCleanErrors(m.payload, where);
            if (m.type === 'next' && m.payload?.errors) expectCleanErrors(m.payload.errors, where);
          }
          if (close) {
            closeCodes.set(close.code, (closeCodes.get(close.code) ?? 0) + 1);
            // graphql-ws's refusals (4400 bad message, 4401 not acknowledged, 4403 forbidden, 4406 subprotocol, 4409 duplicate id,
            // 4429 second init), and the WebSocket library's 1007 for a text frame that is not UTF-8 and 1009 for a message too
            // large; never 4500 (an exception in the server) or 1011.
            if (![4400, 4401, 4403, 4406, 4409, 4429, 1007, 1009].includes(close.code)) throw new Error(`${where}: closed with ${close.code} ${close.reason}`);
          } else {
            socket.close(1000);
            await closed;
          }
        }),
        { numRuns: runs(250), verbose: 1 },
      );
      expect(closeCodes.size).toBeGreaterThan(2);
      expect(loggedErrors()).toEqual([]);
    },
    timeoutFor(250, 400),
  );

  it('still runs every process afterwards, each answering /health, and answers a real query as before', async () => {
    expect(hub.child.exitCode).toBeNull();
    expect(childPids()).toEqual(pids);
    for (const p of [port, port + 1, port + 2, port + 3, port + 4]) {
      const res = await fetch(`http://127.0.0.1:${p}/health`);
      expect([p, res.status]).toEqual([p, 200]);
    }
    const after = await gql(hub.url, watchedQuery, undefined, bearer('ministry'));
    expect(after.errors).toBeUndefined();
    expect(after.data).toEqual(baseline);
    expect(loggedErrors()).toEqual([]);
  });
});
