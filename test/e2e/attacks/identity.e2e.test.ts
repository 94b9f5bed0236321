import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { start as startGateway, type RunningGateway } from '@thads/gateway';
import { revokeToken, signIdentity, type Identity } from '@thads/kit';
import { EMBEDDED_AUDIENCE, EMBEDDED_ISSUER } from '../../../cli/src/token-claims';
import { TEST_IDENTITY_SECRET, TEST_JWT_SECRET, token } from '../../support/auth';
import { gql } from '../../support/graphql-client';
import { freePortRange, startHubProcess, type HubProcess } from '../../support/hub-process';
import { liveClient, subscribe } from '../../support/live-client';
import { TEST_GATEWAY_AUTH } from '../../support/in-process-hub';
import { ROOT } from '../../support/pg-server';
import { createTestDatabase, dropTestDatabase } from '../../support/test-db';

type Answer = { status: number; errors?: { extensions?: Record<string, unknown> }[] };
const refusal = (res: Answer) => ({ status: res.status, code: res.errors?.[0]?.extensions?.code, reason: res.errors?.[0]?.extensions?.reason });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A token as the secure hub's own tokens are made: its issuer and audience, an id, an hour at most. */
function hubToken(role: Identity['role'], units: number[], claims: Record<string, unknown> = {}, ttl = 600): string {
  return token(role, units, undefined, ttl, `attacker-${role}`, { iss: EMBEDDED_ISSUER, aud: EMBEDDED_AUDIENCE, jti: randomUUID(), ...claims });
}
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

/** Runs the hub's CLI as an operator would. */
function hub(args: string[], env: Record<string, string>): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      [join(ROOT, 'cli', 'dist', 'main.js'), ...args],
      { env: { ...process.env, AUTH_JWT_SECRET: TEST_JWT_SECRET, IDENTITY_SECRET: TEST_IDENTITY_SECRET, ...env } },
      (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve({ stdout, stderr })),
    ),
  );
}

interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A proxy in front of one subgraph that keeps what the gateway sends it: what an attacker on the path would capture. */
async function recordingProxy(target: string): Promise<{ url: string; seen: Recorded[]; close(): Promise<void> }> {
  const seen: Recorded[] = [];
  const to = new URL(target);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: body.toString('utf8') });
      const out = request({ host: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      out.on('error', () => res.destroy());
      out.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    seen,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Sends a body straight to a subgraph with a given identity header, as an attacker on the network would. */
async function toSubgraph(url: string, header: string, body: string): Promise<Answer> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-thads-identity': header }, body });
  return { status: res.status, ...((await res.json()) as { errors?: { extensions?: Record<string, unknown> }[] }) };
}

describe('attacks on the gateway ↔ subgraph identity and on tokens, against hub start --secure', () => {
  let db: string;
  let base: number;
  let secure: HubProcess;
  let province: number;
  let ward: number;
  let casesUrl: string;
  let admin: Client;
  const caseRows = async () => Number((await admin.query(`SELECT count(*) AS n FROM cases.enforcement_case`)).rows[0].n);

  beforeAll(async () => {
    db = await createTestDatabase('identity_attacks');
    base = await freePortRange(5);
    secure = await startHubProcess(db, base, ['--cases', '300', '--secure']);
    // hub start gives the subgraphs the ports after the gateway's, in the order org-units, cases, finances, complaints.
    casesUrl = `http://127.0.0.1:${base + 2}/graphql`;
    const units = await gql(secure.url, `{ unitByCode(code: "tuyen-quang") { id children { id } } }`, undefined, bearer(hubToken('ministry', [])));
    province = Number(units.data!.unitByCode.id);
    ward = Number(units.data!.unitByCode.children[0].id);
    admin = new Client({ connectionString: db });
    await admin.connect();
  }, 240000);

  afterAll(async () => {
    await admin?.end();
    await secure?.stop();
    if (db) await dropTestDatabase(db);
  });

  describe('a signed identity captured between the gateway and a subgraph', () => {
    let gateway: RunningGateway;
    let proxy: Awaited<ReturnType<typeof recordingProxy>>;
    const write = (key: string) =>
      JSON.stringify({
        query: `mutation { receiveCase(input: { unitId: "${ward}", receivedOn: "2025-08-01", judgmentRef: "9/2025" }, idempotencyKey: "${key}") { id } }`,
      });

    beforeAll(async () => {
      // A gateway of the same hub whose calls to cases pass a recording proxy: the attacker's capture.
      proxy = await recordingProxy(casesUrl);
      gateway = await startGateway({
        PORT: 0,
        HOST: '127.0.0.1',
        SUPERGRAPH_PATH: join(ROOT, 'schema', 'supergraph.graphql'),
        ORG_UNITS_URL: `http://127.0.0.1:${base + 1}/graphql`,
        CASES_URL: proxy.url,
        FINANCES_URL: `http://127.0.0.1:${base + 3}/graphql`,
        COMPLAINTS_URL: `http://127.0.0.1:${base + 4}/graphql`,
        LOG_LEVEL: 'warn',
        DATABASE_URL: undefined,
        LIVE_TRANSPORT: 'none',
        LIVE_WINDOW_MS: 50,
        LIVE_BATCH_SLACK_MS: 0,
        LIVE_WORKER: 'off',
        ...TEST_GATEWAY_AUTH,
        SECURE: 'true',
        AUTH_ISSUER: EMBEDDED_ISSUER,
        AUTH_AUDIENCE: EMBEDDED_AUDIENCE,
        INTROSPECTION: 'false',
        ANSWER_CACHE: 'off',
        ANSWER_CACHE_MB: 8,
      });
    }, 60000);

    afterAll(async () => {
      await gateway?.stop();
      await proxy?.close();
    });

    it('signs every subgraph request on its own: the same read twice carries two signatures, each accepted once', async () => {
      const read = `{ unit(id: "${ward}") { caseStats(period: { year: 2025 }) { done } } }`;
      const reporter = bearer(hubToken('reporter', [province]));
      for (let i = 0; i < 2; i++) expect((await gql(gateway.url, read, undefined, reporter)).status).toBe(200);
      const headers = proxy.seen.map((r) => r.headers['x-thads-identity']).filter(Boolean);
      expect(headers.length).toBeGreaterThanOrEqual(2);
      expect(new Set(headers).size).toBe(headers.length);
    });

    it('refuses the captured header with another body (a mutation), the same body again, and an old header; nothing is written', async () => {
      const captured = proxy.seen.filter((r) => r.headers['x-thads-identity']).at(-1)!;
      const header = String(captured.headers['x-thads-identity']);
      const before = await caseRows();

      // Another body: the signature covers the body's digest.
      expect(refusal(await toSubgraph(casesUrl, header, write(`replay-${randomUUID()}`)))).toEqual({
        status: 401,
        code: 'UNAUTHENTICATED',
        reason: 'signature',
      });
      // The very request again: its nonce was used.
      expect(refusal(await toSubgraph(casesUrl, header, captured.body))).toEqual({ status: 401, code: 'UNAUTHENTICATED', reason: 'replayed' });

      // Headers made as the gateway makes them, for the mutation itself, but 11 s old or for another subgraph.
      const reporter: Identity = { subject: 'attacker', role: 'reporter', units: [province], families: ['units', 'cases', 'money', 'complaints'] };
      const body = write(`old-${randomUUID()}`);
      const signed = (audience: string, at: number) => signIdentity(reporter, { method: 'POST', target: '/graphql', body, audience }, TEST_IDENTITY_SECRET, at);
      expect(refusal(await toSubgraph(casesUrl, signed('cases', Date.now() - 11000), body))).toEqual({ status: 401, code: 'UNAUTHENTICATED', reason: 'stale' });
      expect(refusal(await toSubgraph(casesUrl, signed('finances', Date.now()), body))).toEqual({ status: 401, code: 'UNAUTHENTICATED', reason: 'audience' });
      // Another method for the same body and header.
      const header2 = signed('cases', Date.now());
      const get = await fetch(`${casesUrl}?query=${encodeURIComponent('{ __typename }')}`, { headers: { 'x-thads-identity': header2 } });
      expect(get.status).toBe(401);

      expect(await caseRows()).toBe(before);
    });

    it('has the subgraphs listen on loopback only: another interface of the machine does not reach them', async () => {
      expect((await fetch(casesUrl.replace('/graphql', '/health'))).status).toBe(200);
      const outside = Object.values(networkInterfaces())
        .flat()
        .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
      if (!outside) return; // a machine with loopback only: nothing else to try
      const reached = await new Promise<boolean>((resolve) => {
        const socket = connect({ host: outside, port: base + 2 }, () => (socket.destroy(), resolve(true)));
        socket.on('error', () => resolve(false));
      });
      expect(reached).toBe(false);
    });
  });

  describe('tokens', () => {
    const ask = (t: string) => gql(secure.url, `{ ministry { name } }`, undefined, bearer(t));
    const now = () => Math.floor(Date.now() / 1000);

    it('refuses a token for another audience or issuer, one without them, and one valid for 100 years', async () => {
      expect(refusal(await ask(hubToken('ministry', [])))).toEqual({ status: 200, code: undefined, reason: undefined });
      const refused: [string, string, string][] = [
        ['other audience', hubToken('ministry', [], { aud: 'another-api' }), 'audience'],
        ['other issuer', hubToken('ministry', [], { iss: 'https://evil.example' }), 'issuer'],
        ['no issuer', token('ministry', [], undefined, 600, 'x', { iss: undefined, aud: EMBEDDED_AUDIENCE }), 'issuer'],
        ['no audience', token('ministry', [], undefined, 600, 'x', { iss: EMBEDDED_ISSUER, aud: undefined }), 'audience'],
        ['100 years', hubToken('ministry', [], {}, 100 * 365 * 86400), 'lifetime'],
        ['100 years, no iat', hubToken('ministry', [], { iat: undefined }, 100 * 365 * 86400), 'lifetime'],
        ['100 years, recent iat', hubToken('ministry', [], { iat: now() + 100 * 365 * 86400 - 600 }, 100 * 365 * 86400), 'lifetime'],
      ];
      for (const [label, t, reason] of refused) expect({ label, ...refusal(await ask(t)) }).toEqual({ label, status: 401, code: 'UNAUTHENTICATED', reason });
    });

    it('accepts the tokens "hub keys --action token" makes, and refuses one revoked with "hub keys --action revoke-token" within seconds', async () => {
      const made = await hub(['keys', '--action', 'token', '--role', 'reporter', '--units', String(province), '--ttl', '600'], {});
      const t = made.stdout.trim();
      const jti = /jti\) ([0-9a-f-]{36})/.exec(made.stderr)![1]!;
      const payload = JSON.parse(Buffer.from(t.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
      expect(payload).toMatchObject({ iss: EMBEDDED_ISSUER, aud: EMBEDDED_AUDIENCE, jti });
      expect(refusal(await gql(secure.url, `{ unit(id: "${ward}") { name } }`, undefined, bearer(t))).status).toBe(200);

      const revoked = await hub(['keys', '--action', 'revoke-token', '--jti', jti], { DATABASE_URL: db });
      expect(revoked.stdout).toMatch(/revoked token/);
      const revokedAt = Date.now();
      const read = () => gql(secure.url, `{ unit(id: "${ward}") { name } }`, undefined, bearer(t));
      let answer = await read();
      while (answer.status !== 401 && Date.now() - revokedAt < 8000) {
        await sleep(200);
        answer = await read();
      }
      expect(refusal(answer)).toEqual({ status: 401, code: 'UNAUTHENTICATED', reason: 'revoked' });
      expect(Date.now() - revokedAt).toBeLessThan(5000);
      const before = await caseRows();
      const mutation = `mutation { receiveCase(input: { unitId: "${ward}", receivedOn: "2025-08-01", judgmentRef: "8/2025" }, idempotencyKey: "revoked-${jti}") { id } }`;
      expect(refusal(await gql(secure.url, mutation, undefined, bearer(t)))).toEqual({ status: 401, code: 'UNAUTHENTICATED', reason: 'revoked' });
      expect(await caseRows()).toBe(before);
    }, 30000);

    it('closes a live connection with 4401 when its token expires', async () => {
      const expiresAt = (Math.floor(Date.now() / 1000) + 6) * 1000;
      const client = liveClient(secure.url, bearer(hubToken('ministry', [], {}, 6)), false);
      const live = subscribe(client, `subscription { liveMinistry { name } }`);
      await live.until((v) => Boolean(v?.liveMinistry?.name));
      while (Date.now() < expiresAt + 3000 && !live.errors.length) await sleep(100);
      expect(live.errors).toContainEqual(expect.objectContaining({ code: 4401 }));
      // Closed at the expiry, not before it, nor the minute of clock skew later.
      expect(Date.now()).toBeGreaterThanOrEqual(expiresAt - 1000);
      expect(Date.now()).toBeLessThan(expiresAt + 3000);
      await client.dispose();
    }, 30000);

    it('closes a live connection with 4401 within seconds of its token being revoked', async () => {
      const jti = randomUUID();
      const client = liveClient(secure.url, bearer(hubToken('ministry', [], { jti }, 600)), false);
      const live = subscribe(client, `subscription { liveMinistry { name } }`);
      await live.until((v) => Boolean(v?.liveMinistry?.name));
      await revokeToken(admin, jti);
      const revokedAt = Date.now();
      for (let waited = 0; waited < 8000 && !live.errors.length; waited += 100) await sleep(100);
      expect(live.errors).toContainEqual(expect.objectContaining({ code: 4401 }));
      expect(Date.now() - revokedAt).toBeLessThan(5000);
      await client.dispose();
    }, 30000);
  });

  it('serves no introspection in secure mode unless INTROSPECTION=true', async () => {
    const intro = await gql(secure.url, `{ __schema { queryType { name } } }`, undefined, bearer(hubToken('ministry', [])));
    expect(intro.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(intro.errors?.[0]?.message).toMatch(/introspection/i);
    expect(intro.data ?? undefined).toBeUndefined();
  });
});
