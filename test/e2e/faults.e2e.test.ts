import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import * as finances from '@thads/finances';
import { todayInVietnam } from '@thads/kit';
import { bearer } from '../support/auth';
import { gql, gqlData } from '../support/graphql-client';
import { migrateAll, startInProcessHub, type InProcessHub } from '../support/in-process-hub';
import { seedTestUnits } from '../support/seeded-db';
import { createTestDatabase, dropTestDatabase } from '../support/test-db';

const MINISTRY = bearer('ministry');
const REPORTER = bearer('reporter', [1]);
const RECEIVE = `mutation($input: ReceiveCaseInput!, $key: String!) { receiveCase(input: $input, idempotencyKey: $key) { id } }`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A TCP proxy to PostgreSQL that a test can cut (every connection dropped, new ones refused) and restore. */
class CuttableProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async open(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server!.address() as AddressInfo).port;
  }

  async cut(): Promise<void> {
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
  }
}

/**
 * Faults with real processes and connections: a subgraph stopped (the others' fields still
 * answered, the missing part named; used again once back) and the database cut off from the
 * services (writes refused with a retryable code, nothing half-written, the same idempotency
 * key applied once the database is back, every service reconnecting by itself).
 */
describe('faults', () => {
  let db: string;
  let hub: InProcessHub;
  let proxy: CuttableProxy;
  let admin: Client;
  let ward: string;

  beforeAll(async () => {
    db = await createTestDatabase('faults');
    await migrateAll(db);
    const { units } = await seedTestUnits(db);
    ward = String(units.find((u) => u.type === 'WARD' && u.validTo === null)!.id);
    const url = new URL(db);
    proxy = new CuttableProxy({ host: url.hostname, port: Number(url.port || 5432) });
    await proxy.open();
    const viaProxy = new URL(db);
    viaProxy.port = String(proxy.port);
    hub = await startInProcessHub(db, { transport: 'postgres' }, viaProxy.toString());
    admin = new Client({ connectionString: db });
    await admin.connect();
  }, 120000);

  afterAll(async () => {
    await admin?.end();
    await hub?.stop();
    await proxy?.cut();
    if (db) await dropTestDatabase(db);
  });

  const NATION = `{ ministry { name caseStats(period: { year: 2026 }) { newlyReceived } moneyStats(period: { year: 2026 }) { done } } }`;

  it('answers the other services’ fields while one is down, names the missing one, and uses it again once back', async () => {
    const whole = await gqlData<{ ministry: { moneyStats: unknown } }>(hub.url, NATION, undefined, MINISTRY);
    expect(whole.ministry.moneyStats).not.toBeNull();
    const index = hub.subgraphs.findIndex((s) => s.url.includes(`:${new URL(hub.subgraphs[2]!.url).port}/`));
    const port = Number(new URL(hub.subgraphs[index]!.url).port);
    await hub.subgraphs[index]!.stop();
    // Another period than the one read above, which the gateway's caches could still answer.
    const partial = await gql<{ ministry: { name: string; caseStats: unknown; moneyStats: unknown } }>(
      hub.url,
      NATION.replace(/2026/g, '2025'),
      undefined,
      MINISTRY,
    );
    expect(partial.data?.ministry.name).toMatch(/Bộ Tư pháp/);
    expect(partial.data?.ministry.caseStats).not.toBeNull();
    expect(partial.data?.ministry.moneyStats).toBeNull();
    expect(partial.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/finances service is not answering/),
      extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'finances', retryable: true },
    });
    hub.subgraphs[index] = await finances.start({ ...hub.subgraphConfig, PORT: port } as never);
    const back = await gql<{ ministry: { moneyStats: unknown } }>(hub.url, NATION, undefined, MINISTRY);
    expect(back.errors).toBeUndefined();
    expect(back.data).toEqual(whole);
  });

  it('refuses writes with a retryable code while the database is cut off, writes nothing, and applies the same key once it is back', async () => {
    const count = async () => Number((await admin.query(`SELECT count(*) AS n FROM cases.case_event`)).rows[0].n);
    const before = await count();
    const input = { unitId: ward, receivedOn: todayInVietnam(), judgmentRef: '7/2026/QĐ-CCTHADS' };
    await proxy.cut();
    const refused = await gql(hub.url, RECEIVE, { input, key: 'fault-write-0001' }, REPORTER);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'DATABASE_UNAVAILABLE', retryable: true });
    expect(refused.errors?.[0]?.message).toMatch(/nothing was written/);
    expect(await count()).toBe(before);
    await proxy.open();
    // The pools reconnect by themselves: the same key is applied once, and only once.
    let applied: { data?: { receiveCase?: { id: string } } | null; errors?: unknown[] } | undefined;
    for (let i = 0; i < 50 && !applied?.data?.receiveCase; i++) {
      applied = await gql(hub.url, RECEIVE, { input, key: 'fault-write-0001' }, REPORTER);
      if (!applied.data?.receiveCase) await sleep(200);
    }
    expect(applied?.errors).toBeUndefined();
    const again = await gql<{ receiveCase: { id: string } }>(hub.url, RECEIVE, { input, key: 'fault-write-0001' }, REPORTER);
    expect(again.data?.receiveCase.id).toBe(applied!.data!.receiveCase!.id);
    expect(await count()).toBe(before + 1);
    for (const s of hub.subgraphs) expect((await fetch(s.url.replace(/\/graphql$/, '/ready'))).status).toBe(200);
  }, 60000);
});
