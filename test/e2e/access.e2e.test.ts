import { generateKeyPairSync, sign as signRaw } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditServer } from 'graphql-http';
import { Client } from 'pg';
import { createApiKey, ensureApiKeyTable, revokeApiKey, type RunningService } from '@thads/kit';
import { REVOCATION_REFRESH_MS, signHs256 } from '@thads/gateway';
import { TEST_JWT_SECRET, bearer, forwarded, signedIdentityHeader, token } from '../support/auth';
import { gql, ACCEPT } from '../support/graphql-client';
import { migrateAll, startExtraGateway, startInProcessHub, type InProcessHub } from '../support/in-process-hub';
import { liveClient, subscribe } from '../support/live-client';
import { demoCases, leavesOf, provinceAndWard, seedTestCases, seedTestUnits } from '../support/seeded-db';
import { createTestDatabase, dropTestDatabase } from '../support/test-db';

const codeOf = (res: { errors?: { extensions?: Record<string, unknown> }[] }) => res.errors?.[0]?.extensions?.code;
const STATS = '{ done }';

function rs256Token(privateKey: Parameters<typeof signRaw>[2], kid: string, alg: 'RS256' | 'ES256', claims: Record<string, unknown>): string {
  const h = Buffer.from(JSON.stringify({ alg, kid, typ: 'JWT' })).toString('base64url');
  const p = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const sig = signRaw('sha256', Buffer.from(`${h}.${p}`), alg === 'ES256' ? { key: privateKey as never, dsaEncoding: 'ieee-p1363' } : privateKey);
  return `${h}.${p}.${sig.toString('base64url')}`;
}

describe('access control and protection of the API', () => {
  let db: string;
  let hub: InProcessHub;
  let units: Awaited<ReturnType<typeof seedTestUnits>>['units'];
  let mine: { province: number; ward: number };
  let other: { province: number; ward: number };
  let subgraphRequests = 0;
  const extra: RunningService[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('access');
    await migrateAll(db);
    const seeded = await seedTestUnits(db);
    units = seeded.units;
    await seedTestCases(db, demoCases(leavesOf(units), 2000, 'access'));
    hub = await startInProcessHub(db);
    for (const s of hub.subgraphs) s.httpServer.on('request', () => subgraphRequests++);
    mine = provinceAndWard(units, 'tuyen-quang');
    other = provinceAndWard(units, 'ha-noi');
  }, 180000);

  afterAll(async () => {
    for (const g of extra) await g.stop();
    await hub?.stop();
    if (db) await dropTestDatabase(db);
  });

  const ask = (query: string, headers: Record<string, string>, variables?: Record<string, unknown>) => gql(hub.url, query, variables, headers);
  const unitStats = (id: number, field = 'caseStats') => `{ unit(id: "${id}") { name ${field}(period: { year: 2025 }) ${STATS} } }`;

  describe('roles and field families, enforced by the subgraphs', () => {
    it('lets the ministry read everything, nationally and per ward', async () => {
      const h = bearer('ministry');
      expect(codeOf(await ask(unitStats(other.ward), h))).toBeUndefined();
      expect(codeOf(await ask(`{ caseRanking(period: { year: 2025 }, level: WARD) { rank } }`, h))).toBeUndefined();
    });

    it('keeps a province to its own subtree and the national table of provinces', async () => {
      const h = bearer('province', [mine.province]);
      expect((await ask(unitStats(mine.ward), h)).data?.unit.caseStats.done).toBeGreaterThanOrEqual(0);
      expect(codeOf(await ask(unitStats(mine.province, 'moneyStats'), h))).toBeUndefined();
      expect(codeOf(await ask(unitStats(other.ward), h))).toBe('FORBIDDEN');
      expect(codeOf(await ask(unitStats(other.province), h))).toBe('FORBIDDEN');
      expect(codeOf(await ask(`{ unit(id: "${other.ward}") { name } }`, h))).toBe('FORBIDDEN');
      const table = await ask(`{ caseRanking(period: { year: 2025 }) { rank unit { name } } }`, h);
      expect(codeOf(table)).toBeUndefined();
      expect(table.data?.caseRanking).toHaveLength(34);
      expect(codeOf(await ask(`{ caseRanking(period: { year: 2025 }, level: WARD) { rank } }`, h))).toBe('FORBIDDEN');
      // Another province's name is public; its wards are not listed.
      const hanoi = await ask(`{ unit(id: "${other.province}") { name children { id } } }`, h);
      expect(hanoi.data?.unit).toEqual({ name: 'Hà Nội', children: [] });
      // Today's wards (the old communes of its predecessors, under their districts, are its own too).
      const search = await ask(`{ searchUnits(text: "phuong", type: WARD, asOf: "2025-09-30", limit: 100) { id parent { id } } }`, h);
      expect(search.data?.searchUnits.length).toBeGreaterThan(0);
      expect(search.data?.searchUnits.every((u: { parent: { id: string } }) => u.parent.id === String(mine.province))).toBe(true);
    });

    it('follows a unit’s links (parent, ancestors, lineage) only to units the caller may read', async () => {
      const district = units.find((u) => u.type === 'DISTRICT')!;
      const commune = units.find((u) => u.parentId === district.id)!;
      const links = `{ unit(id: "${commune.id}") { parent { id } ancestors { id type } lineage { from { id } to { id type } } } }`;
      const all = (await ask(links, bearer('ministry'))).data?.unit;
      expect(all.parent).toEqual({ id: String(district.id) });
      expect(all.ancestors.map((a: { type: string }) => a.type)).toEqual(['DISTRICT', 'PROVINCE', 'MINISTRY']);
      expect(all.lineage.length).toBeGreaterThan(0); // the commune went into a new ward
      // A reporter for the commune alone: the district above it and the ward it became are not its own.
      const own = await ask(links, bearer('reporter', [commune.id]));
      expect(own.errors).toBeUndefined();
      expect(own.data?.unit.parent).toBeNull();
      expect(own.data?.unit.ancestors.map((a: { type: string }) => a.type)).toEqual(['PROVINCE', 'MINISTRY']);
      expect(own.data?.unit.lineage).toEqual([]);
    });

    it('limits an integrator to its units and the field families of its key, read-only', async () => {
      const h = bearer('integrator', [mine.province], ['units', 'cases']);
      expect(codeOf(await ask(unitStats(mine.province), h))).toBeUndefined();
      expect(codeOf(await ask(unitStats(mine.province, 'moneyStats'), h))).toBe('FORBIDDEN');
      expect(codeOf(await ask(unitStats(other.province), h))).toBe('FORBIDDEN');
      expect(codeOf(await ask(`{ caseRanking(period: { year: 2025 }) { rank } }`, h))).toBe('FORBIDDEN');
      const noUnits = bearer('integrator', [mine.province], ['cases']);
      expect(codeOf(await ask(`{ unit(id: "${mine.province}") { name } }`, noUnits))).toBe('FORBIDDEN');
      const write = await ask(
        `mutation { receiveCase(input: { unitId: "${mine.ward}", receivedOn: "2025-08-01", judgmentRef: "1/2025" }, idempotencyKey: "integrator-write-1") { id } }`,
        h,
      );
      expect(codeOf(write)).toBe('FORBIDDEN');
    });

    it('lets a reporter write only for the units it reports for', async () => {
      const h = bearer('reporter', [mine.province]);
      const ok = await ask(
        `mutation { receiveCase(input: { unitId: "${mine.ward}", receivedOn: "2025-08-01", judgmentRef: "1/2025" }, idempotencyKey: "reporter-ok-${Date.now()}") { id } }`,
        h,
      );
      expect(codeOf(ok)).toBeUndefined();
      const elsewhere = await ask(
        `mutation { receiveCase(input: { unitId: "${other.ward}", receivedOn: "2025-08-01", judgmentRef: "1/2025" }, idempotencyKey: "reporter-no-${Date.now()}") { id } }`,
        h,
      );
      expect(codeOf(elsewhere)).toBe('FORBIDDEN');
      // The rights are judged before the unit and date checks: a future date elsewhere is FORBIDDEN too, telling nothing of the unit.
      const futureElsewhere = await ask(
        `mutation { receiveCase(input: { unitId: "${other.ward}", receivedOn: "2099-01-01", judgmentRef: "1/2099" }, idempotencyKey: "reporter-future-${Date.now()}") { id } }`,
        h,
      );
      expect(codeOf(futureElsewhere)).toBe('FORBIDDEN');
      expect(
        codeOf(
          await ask(
            `mutation { receiveCase(input: { unitId: "${mine.ward}", receivedOn: "2025-08-01", judgmentRef: "1/2025" }, idempotencyKey: "ministry-no-${Date.now()}") { id } }`,
            bearer('ministry'),
          ),
        ),
      ).toBe('FORBIDDEN');
      expect(codeOf(await ask(`mutation { setTarget(unitId: "${mine.province}", year: 2025, caseRate: 80, moneyRate: 50) { year } }`, h))).toBe('FORBIDDEN');
    });
  });

  describe('tokens and keys', () => {
    const now = () => Math.floor(Date.now() / 1000);

    it('refuses a missing, expired, forged, wrongly signed or unsigned token with 401 UNAUTHENTICATED', async () => {
      const claims = { sub: 'x', role: 'ministry', iat: now(), exp: now() + 600 };
      const good = signHs256(claims, TEST_JWT_SECRET);
      const [h, p, s] = good.split('.');
      const forgedPayload = Buffer.from(JSON.stringify({ ...claims, role: 'ministry', sub: 'mallory' })).toString('base64url');
      const cases: [string, Record<string, string>][] = [
        ['none', {}],
        ['expired', { authorization: `Bearer ${signHs256({ ...claims, exp: now() - 3600 }, TEST_JWT_SECRET)}` }],
        ['forged', { authorization: `Bearer ${h}.${forgedPayload}.${s}` }],
        ['wrong secret', { authorization: `Bearer ${signHs256(claims, 'another-secret-another-secret-another')}` }],
        ['alg none', { authorization: `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${p}.` }],
        ['garbage', { authorization: 'Bearer not-a-token' }],
        ['unknown key', { 'x-api-key': 'thads_1_' + '0'.repeat(64) }],
      ];
      for (const [label, headers] of cases) {
        const res = await gql(hub.url, `{ ministry { name } }`, undefined, headers);
        expect({ label, status: res.status, code: codeOf(res) }).toEqual({ label, status: 401, code: 'UNAUTHENTICATED' });
      }
      // Within the clock skew (60 s), a just-expired token still passes.
      const skewed = await gql(hub.url, `{ ministry { name } }`, undefined, {
        authorization: `Bearer ${signHs256({ ...claims, exp: now() - 30 }, TEST_JWT_SECRET)}`,
      });
      expect(skewed.status).toBe(200);
    });

    it('accepts RS256 and ES256 tokens verified against a JWKS file, and refuses an unknown key id', async () => {
      const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const dir = mkdtempSync(join(tmpdir(), 'jwks-'));
      const jwks = join(dir, 'jwks.json');
      writeFileSync(
        jwks,
        JSON.stringify({
          keys: [
            { ...rsa.publicKey.export({ format: 'jwk' }), kid: 'r1', alg: 'RS256' },
            { ...ec.publicKey.export({ format: 'jwk' }), kid: 'e1', alg: 'ES256' },
          ],
        }),
      );
      const gw = await startExtraGateway(hub, db, { AUTH_JWKS: jwks, AUTH_ISSUER: 'https://id.moj.gov.vn', AUTH_JWT_SECRET: undefined });
      extra.push(gw);
      const claims = { sub: 'analyst', role: 'ministry', iss: 'https://id.moj.gov.vn', iat: now(), exp: now() + 600 };
      for (const t of [rs256Token(rsa.privateKey, 'r1', 'RS256', claims), rs256Token(ec.privateKey, 'e1', 'ES256', claims)]) {
        const res = await gql(gw.url, `{ ministry { name } }`, undefined, { authorization: `Bearer ${t}` });
        expect(res.errors).toBeUndefined();
      }
      const refused = [
        rs256Token(rsa.privateKey, 'zz', 'RS256', claims),
        rs256Token(rsa.privateKey, 'e1', 'ES256', claims),
        rs256Token(rsa.privateKey, 'r1', 'RS256', { ...claims, iss: 'https://evil.example' }),
        signHs256(claims, TEST_JWT_SECRET),
      ];
      for (const t of refused) expect(codeOf(await gql(gw.url, `{ ministry { name } }`, undefined, { authorization: `Bearer ${t}` }))).toBe('UNAUTHENTICATED');
    });

    it('tells each caller who it is taken to be (me), from a token or an API key, never another caller of the same scope', async () => {
      const ME = `{ me { role units { id name } families } }`;
      const province = await ask(ME, bearer('province', [mine.province]));
      expect(province.data!.me).toEqual({ role: 'PROVINCE', units: [{ id: String(mine.province), name: 'Tuyên Quang' }], families: [] });
      expect((await ask(ME, bearer('ministry'))).data!.me).toEqual({ role: 'MINISTRY', units: [], families: [] });
      const integrator = await ask(`{ me { role units { id } families } }`, bearer('integrator', [mine.province], ['cases', 'units']));
      expect(integrator.data!.me).toEqual({ role: 'INTEGRATOR', units: [{ id: String(mine.province) }], families: ['cases', 'units'] });

      const admin = new Client({ connectionString: db });
      await admin.connect();
      await ensureApiKeyTable(admin);
      const { key } = await createApiKey(admin, 'Hệ thống báo cáo Hà Nội', 'integrator', [other.province], ['units', 'money']);
      await admin.end();
      expect((await ask(ME, { 'x-api-key': key })).data!.me).toEqual({
        role: 'INTEGRATOR',
        units: [{ id: String(other.province), name: 'Hà Nội' }],
        families: ['money', 'units'],
      });
      // The answer depends on the scope alone (the gateway keeps answers per scope): another token of the same scope reads the same.
      const again = await ask(ME, { authorization: `Bearer ${token('province', [mine.province], undefined, 600, 'another-officer')}` });
      expect(again.data!.me).toEqual(province.data!.me);
    });

    it('accepts an API key stored hashed, as a bearer token or x-api-key, until it is revoked (within the revocation window)', async () => {
      const admin = new Client({ connectionString: db });
      await admin.connect();
      await ensureApiKeyTable(admin);
      const { id, key } = await createApiKey(admin, 'Cổng dữ liệu Tuyên Quang', 'integrator', [mine.province], ['units', 'cases']);
      const stored = await admin.query(`SELECT secret_hash FROM access.api_key WHERE id = $1`, [id]);
      expect(stored.rows[0].secret_hash).not.toContain(key.split('_')[2]);
      expect(codeOf(await ask(unitStats(mine.province), { authorization: `Bearer ${key}` }))).toBeUndefined();
      expect(codeOf(await ask(unitStats(mine.province), { 'x-api-key': key }))).toBeUndefined();
      expect(codeOf(await ask(unitStats(other.province), { 'x-api-key': key }))).toBe('FORBIDDEN');
      await revokeApiKey(admin, id);
      // A key is looked up again once its identity is older than the window tokens are revoked in.
      const revokedAt = Date.now();
      let code: unknown;
      while ((code = codeOf(await ask(unitStats(mine.province), { 'x-api-key': key }))) !== 'UNAUTHENTICATED' && Date.now() - revokedAt < 10_000) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(code).toBe('UNAUTHENTICATED');
      expect(Date.now() - revokedAt).toBeLessThan(REVOCATION_REFRESH_MS + 1000);
      expect(codeOf(await ask(unitStats(mine.province), { authorization: `Bearer ${key}` }))).toBe('UNAUTHENTICATED');
      await admin.end();
    });
  });

  it('has every subgraph refuse a call that did not come through the gateway', async () => {
    for (const s of hub.subgraphs) {
      const bare = await gql(s.url, `{ __typename }`, undefined, {});
      expect({ url: s.url, status: bare.status, code: codeOf(bare) }).toEqual({ url: s.url, status: 401, code: 'UNAUTHENTICATED' });
      const body = JSON.stringify({ query: `{ __typename }` });
      const [payload, sig] = (await signedIdentityHeader(s.url, { subject: 'x', role: 'reporter', units: [1], families: [] }, 'POST', body)).split('.');
      const tampered = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), role: 'ministry' })).toString('base64url');
      expect(codeOf(await gql(s.url, `{ __typename }`, undefined, { 'x-thads-identity': `${tampered}.${sig}` }))).toBe('UNAUTHENTICATED');
      expect(codeOf(await gql(s.url, `{ __typename }`, undefined, forwarded()))).toBeUndefined();
    }
  });

  it('refuses query bombs with a clear error before any subgraph is called', async () => {
    const h = bearer('ministry');
    const deep = `{ ministry { ${'children { '.repeat(14)}id${' }'.repeat(14)} } }`;
    const aliases = `{ ${Array.from({ length: 1000 }, (_v, i) => `a${i}: ministry { id }`).join(' ')} }`;
    const wide = `{ units(type: WARD) { descendants { descendants { caseStats(period: { year: 2025 }) { done } } } } }`;
    const fewAliases = `{ ${Array.from({ length: 40 }, (_v, i) => `a${i}: ministry { id }`).join(' ')} }`;
    const before = subgraphRequests;
    const results = await Promise.all([deep, aliases, wide, fewAliases].map((q) => ask(q, h)));
    expect(results.map((r) => [r.status, codeOf(r), (r.errors?.[0]?.extensions as { limit?: string })?.limit])).toEqual([
      [400, 'OPERATION_LIMIT', 'depth'],
      [400, 'GRAPHQL_PARSE_FAILED', undefined],
      [400, 'OPERATION_LIMIT', 'cost'],
      [400, 'OPERATION_LIMIT', 'aliases'],
    ]);
    expect(results[1]!.errors?.[0]?.message).toMatch(/tokens/);
    expect(subgraphRequests).toBe(before);
    expect(JSON.stringify(results)).not.toMatch(/stack|\bat [A-Z]\w+\.|node_modules|SELECT /);
  });

  it('limits the rate per identity, runs only registered operations in persisted mode, and can switch introspection off', async () => {
    const limited = await startExtraGateway(hub, db, { RATE_LIMIT_PER_MINUTE: 3 });
    extra.push(limited);
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await gql(limited.url, `{ ministry { id } }`, undefined, bearer('ministry'))).status);
    expect(codes).toEqual([200, 200, 200, 429, 429]);
    expect((await gql(limited.url, `{ ministry { id } }`, undefined, bearer('province', [mine.province]))).status).toBe(200);

    const { createHash } = await import('node:crypto');
    const registered = '{ ministry { name } }';
    const hash = createHash('sha256').update(registered).digest('hex');
    const dir = mkdtempSync(join(tmpdir(), 'persisted-'));
    writeFileSync(join(dir, 'ops.json'), JSON.stringify({ [hash]: registered }));
    const persisted = await startExtraGateway(hub, db, { PERSISTED_OPERATIONS_FILE: join(dir, 'ops.json'), INTROSPECTION: 'false' });
    extra.push(persisted);
    const post = (body: unknown) =>
      fetch(persisted.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: ACCEPT, ...bearer('ministry') },
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as { data?: unknown; errors?: { extensions?: Record<string, unknown> }[] } }));
    expect((await post({ documentId: hash })).body.data).toEqual({ ministry: { name: expect.stringMatching(/Bộ Tư pháp/) } });
    expect((await post({ query: registered })).status).toBe(200);
    const unregistered = await post({ query: '{ ministry { id } }' });
    expect([unregistered.status, unregistered.body.errors?.[0]?.extensions?.limit]).toEqual([400, 'persisted']);
    const closed = await startExtraGateway(hub, db, { INTROSPECTION: 'false' });
    extra.push(closed);
    const intro = await gql(closed.url, `{ __schema { queryType { name } } }`, undefined, bearer('ministry'));
    expect(codeOf(intro)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(intro.errors?.[0]?.message).toMatch(/introspection/i);
    expect((await gql(hub.url, `{ __schema { queryType { name } } }`, undefined, bearer('ministry'))).data).toEqual({
      __schema: { queryType: { name: 'Query' } },
    });
  });

  it('refuses an unauthenticated WebSocket and scopes subscriptions like queries', async () => {
    const anonymous = liveClient(hub.url, {}, false);
    const refused = subscribe(anonymous, `subscription { liveMinistry { name } }`);
    await new Promise((r) => setTimeout(r, 1000));
    expect(refused.values).toHaveLength(0);
    // 4401 with what to send: a code graphql-ws clients do not retry (they would on 4403, for ever).
    expect(refused.errors).toContainEqual(
      expect.objectContaining({ code: 4401, reason: expect.stringMatching(/^UNAUTHENTICATED: Authentication is required: send "Authorization: Bearer/) }),
    );
    await anonymous.dispose();

    const province = liveClient(hub.url, { authorization: `Bearer ${token('province', [mine.province])}` });
    const own = subscribe(province, `subscription($id: ID!) { liveUnit(id: $id) { caseStats(period: { year: 2025 }) { done } } }`, { id: String(mine.ward) });
    const foreign = subscribe(province, `subscription($id: ID!) { liveUnit(id: $id) { caseStats(period: { year: 2025 }) { done } } }`, {
      id: String(other.ward),
    });
    await own.until((v) => typeof v.liveUnit.caseStats.done === 'number');
    await new Promise((r) => setTimeout(r, 500));
    // The refresh of another province's ward is refused by the subgraph; the client is told so.
    expect(foreign.values.every((v) => v === null || v.liveUnit === null)).toBe(true);
    expect(foreign.errors).toContainEqual(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(own.errors).toEqual([]);
    await province.dispose();
  }, 30000);

  it('follows the GraphQL over HTTP specification (graphql-http audit)', async () => {
    const auth = bearer('ministry');
    const results = await auditServer({
      url: hub.url,
      fetchFn: (input: string | URL, init?: RequestInit) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), ...auth } }),
    });
    const failures = results.filter((r) => r.status === 'error').map((r) => `${r.name}: ${'reason' in r ? r.reason : ''}`);
    expect(failures).toEqual([]);
  }, 60000);
});
