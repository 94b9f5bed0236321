import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { gqlData } from '../support/graphql-client';
import { freePortRange, startHubProcess, type HubProcess } from '../support/hub-process';
import { liveClient, subscribe } from '../support/live-client';
import { ROOT } from '../support/pg-server';
import { TEST_IDENTITY_SECRET, TEST_JWT_SECRET, bearer } from '../support/auth';
import { createTestDatabase, dropTestDatabase } from '../support/test-db';

const PERIOD = { fromMonth: '2025-07', toMonth: '2026-12' };
const LIVE_UNIT = `subscription($id: ID!, $period: PeriodInput!) { liveUnit(id: $id) { id name caseStats(period: $period, asOf: "2026-11-01") { newlyReceived } } }`;
const LIVE_NATION = `subscription($period: PeriodInput!) { liveMinistry { caseStats(period: $period, asOf: "2026-11-01") { newlyReceived } } }`;

/**
 * A second gateway process on the same subgraphs and database, as a replica. It runs its
 * change feed and refreshes in a worker thread (LIVE_WORKER=on), so that the replica, restart
 * and cut-feed tests below cover that mode as well as the default.
 */
function startGateway(port: number, base: number, databaseUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(ROOT, 'gateway', 'dist', 'index.js')], {
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
      IDENTITY_SECRET: TEST_IDENTITY_SECRET,
      LOG_LEVEL: 'info',
      LIVE_WORKER: 'on',
      ORG_UNITS_URL: `http://127.0.0.1:${base + 1}/graphql`,
      CASES_URL: `http://127.0.0.1:${base + 2}/graphql`,
      FINANCES_URL: `http://127.0.0.1:${base + 3}/graphql`,
      COMPLAINTS_URL: `http://127.0.0.1:${base + 4}/graphql`,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`gateway exited ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.includes('gateway listening')) resolve(child);
    });
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

describe('live totals through the gateway', () => {
  let db: string;
  let hub: HubProcess;
  let base: number;
  let ward: string;
  let province: string;
  let second: ChildProcess | undefined;
  let n = 0;

  beforeAll(async () => {
    db = await createTestDatabase('live');
    base = await freePortRange(7);
    // A thousand subscriptions on one token below: the live subscription caps are not what this file tests.
    hub = await startHubProcess(db, base, ['--cases', '1000'], { LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION: '0', LIVE_MAX_SUBSCRIPTIONS_PER_PRINCIPAL: '0' });
    const data = await gqlData(hub.url, `{ unitByCode(code: "tuyen-quang") { id children { id } } }`);
    province = data.unitByCode.id;
    ward = data.unitByCode.children[0].id;
  }, 240000);

  afterAll(async () => {
    if (second) await stopProcess(second);
    await hub?.stop();
    if (db) await dropTestDatabase(db);
  });

  const write = (count = 1) =>
    Promise.all(
      Array.from({ length: count }, () =>
        gqlData(
          hub.url,
          `mutation($input: ReceiveCaseInput!, $key: String!) { receiveCase(input: $input, idempotencyKey: $key) { id } }`,
          {
            input: { unitId: ward, receivedOn: '2026-10-15', judgmentRef: `live-${n}/2026` },
            key: `live-test-${process.pid}-${++n}`,
          },
          bearer('reporter', [1]),
        ),
      ),
    );
  const received = async (id: string, p = PERIOD) =>
    (await gqlData(hub.url, `query($id: ID!, $p: PeriodInput!) { unit(id: $id) { caseStats(period: $p, asOf: "2026-11-01") { newlyReceived } } }`, { id, p }))
      .unit.caseStats.newlyReceived as number;

  it('sends the current value at once, then the exact new totals of the ward, its province and the nation after a write', async () => {
    const client = liveClient(hub.url);
    const [w0, p0] = [await received(ward), await received(province)];
    const wardSub = subscribe(client, LIVE_UNIT, { id: ward, period: PERIOD });
    const provinceSub = subscribe(client, LIVE_UNIT, { id: province, period: PERIOD });
    const nationSub = subscribe(client, LIVE_NATION, { period: PERIOD });
    await wardSub.until((v) => v.liveUnit.caseStats.newlyReceived === w0);
    await provinceSub.until((v) => v.liveUnit.caseStats.newlyReceived === p0);
    const n0 = (await nationSub.until(() => true)).liveMinistry.caseStats.newlyReceived;
    await write(3);
    await wardSub.until((v) => v.liveUnit.caseStats.newlyReceived === w0 + 3);
    await provinceSub.until((v) => v.liveUnit.caseStats.newlyReceived === p0 + 3);
    await nationSub.until((v) => v.liveMinistry.caseStats.newlyReceived === n0 + 3);
    // Bursts are coalesced and unchanged values are not sent: never more messages than changes.
    expect(wardSub.values.length).toBeLessThanOrEqual(4);
    await client.dispose();
  }, 60000);

  it('executes 1,000 identical subscriptions once per refresh and fans the result out', async () => {
    const metrics = async () =>
      Object.fromEntries(
        (await (await fetch(hub.url.replace('/graphql', '/metrics'))).text())
          .split('\n')
          .filter((l) => l && !l.startsWith('#'))
          .map((l) => [l.split(' ')[0], Number(l.split(' ')[1])]),
      );
    const clients = Array.from({ length: 10 }, () => liveClient(hub.url));
    const period = { fromMonth: '2025-08', toMonth: '2026-12' };
    const before = await received(province, period);
    const subs = clients.flatMap((c) => Array.from({ length: 100 }, () => subscribe(c, LIVE_UNIT, { id: province, period })));
    await Promise.all(subs.map((s) => s.until(() => true, 30000)));
    const start = await metrics();
    await write(1);
    await Promise.all(subs.map((s) => s.until((v) => v.liveUnit.caseStats.newlyReceived === before + 1, 30000)));
    const end = await metrics();
    expect(end.thads_live_queries).toBeGreaterThanOrEqual(1);
    // One refresh for the 1,000 (a concurrent live query of the previous test may add one).
    expect(end.thads_live_executions_total - start.thads_live_executions_total).toBeLessThanOrEqual(2);
    expect(end.thads_live_messages_total - start.thads_live_messages_total).toBeGreaterThanOrEqual(1000);
    // Each stage of the change's way is in its histogram: notification → dirty → refresh → fan-out.
    for (const stage of ['feed', 'wait', 'refresh', 'fanout'])
      expect(end[`thads_live_${stage}_seconds_count`]! - start[`thads_live_${stage}_seconds_count`]!).toBeGreaterThanOrEqual(1);
    await Promise.all(clients.map((c) => c.dispose()));
  }, 90000);

  it('delivers every change through two gateway replicas on one database', async () => {
    second = await startGateway(base + 6, base, db);
    const urlB = `http://127.0.0.1:${base + 6}/graphql`;
    const [a, b] = [liveClient(hub.url), liveClient(urlB)];
    const before = await received(ward);
    const subA = subscribe(a, LIVE_UNIT, { id: ward, period: PERIOD });
    const subB = subscribe(b, LIVE_UNIT, { id: ward, period: PERIOD });
    await Promise.all([subA.until(() => true), subB.until(() => true)]);
    await write(2);
    await subA.until((v) => v.liveUnit.caseStats.newlyReceived === before + 2);
    await subB.until((v) => v.liveUnit.caseStats.newlyReceived === before + 2);
    // The replica's /metrics adds its live worker's counts (refreshes, change events) to the main thread's (subscribers).
    const text = await (await fetch(urlB.replace('/graphql', '/metrics'))).text();
    const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(value('thads_live_subscribers')).toBeGreaterThanOrEqual(1);
    expect(value('thads_live_executions_total')).toBeGreaterThanOrEqual(2);
    expect(value('thads_live_change_events_total')).toBeGreaterThanOrEqual(1);
    expect(value('thads_live_worker_event_loop_delay_p99_seconds')).toBeGreaterThanOrEqual(0);
    await Promise.all([a.dispose(), b.dispose()]);
  }, 60000);

  it('keeps serving when a client dies mid-stream, and a client reconnected after a gateway restart is never behind', async () => {
    const urlB = `http://127.0.0.1:${base + 6}/graphql`;
    // A client killed mid-stream does not come back (one that retried would keep reconnecting after the test).
    const doomed = liveClient(urlB, undefined, false);
    const survivor = liveClient(urlB);
    const before = await received(ward);
    const d = subscribe(doomed, LIVE_UNIT, { id: ward, period: PERIOD });
    const s = subscribe(survivor, LIVE_UNIT, { id: ward, period: PERIOD });
    await Promise.all([d.until(() => true), s.until(() => true)]);
    await doomed.terminate();
    await write(1);
    await s.until((v) => v.liveUnit.caseStats.newlyReceived === before + 1);
    // Restart the replica while the survivor is connected; writes land while it is down.
    await stopProcess(second!);
    await write(2);
    second = await startGateway(base + 6, base, db);
    await s.until((v) => v.liveUnit.caseStats.newlyReceived === before + 3, 30000);
    await write(1);
    await s.until((v) => v.liveUnit.caseStats.newlyReceived === before + 4);
    await survivor.dispose();
  }, 90000);

  it('moves a client whose replica dies to the other one, which answers with every write, those made while it was away included', async () => {
    const urlB = `http://127.0.0.1:${base + 6}/graphql`;
    // The client's "load balancer": the replica, until it is gone; then the hub's own gateway.
    let target = urlB;
    const client = liveClient(() => target);
    const before = await received(ward);
    const sub = subscribe(client, LIVE_UNIT, { id: ward, period: PERIOD });
    await sub.until((v) => v.liveUnit.caseStats.newlyReceived === before);
    await write(1);
    await sub.until((v) => v.liveUnit.caseStats.newlyReceived === before + 1);
    const metricsA = async () => Number(/^thads_live_subscribers (\S+)$/m.exec(await (await fetch(hub.url.replace('/graphql', '/metrics'))).text())?.[1]);
    const onA = await metricsA();
    await stopProcess(second!);
    second = undefined;
    await write(2); // while the client has no gateway
    target = hub.url;
    await sub.until((v) => v.liveUnit.caseStats.newlyReceived === before + 3, 30000);
    // It is the other gateway that serves it now, and keeps it current.
    expect(await metricsA()).toBe(onA + 1);
    await write(1);
    await sub.until((v) => v.liveUnit.caseStats.newlyReceived === before + 4);
    expect(sub.errors).toEqual([]);
    // Never a value older than one it already had.
    const seen = sub.values.map((v) => v.liveUnit.caseStats.newlyReceived as number);
    expect(seen).toEqual([...seen].sort((x, y) => x - y));
    await client.dispose();
    second = await startGateway(base + 6, base, db);
  }, 90000);

  it('misses nothing when the database connection of the change feed is cut', async () => {
    const { Client } = await import('pg');
    const admin = new Client({ connectionString: db });
    await admin.connect();
    const client = liveClient(hub.url);
    const before = await received(ward);
    const sub = subscribe(client, LIVE_UNIT, { id: ward, period: PERIOD });
    await sub.until(() => true);
    // Cut every gateway's LISTEN connection, write while they are gone, and expect the value.
    const cut = await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'gateway-changes' AND datname = current_database()`,
    );
    expect(cut.rowCount).toBeGreaterThanOrEqual(1);
    await write(2);
    await sub.until((v) => v.liveUnit.caseStats.newlyReceived === before + 2, 20000);
    await admin.end();
    await client.dispose();
  }, 60000);

  it('refreshes the 34 provinces together in one gateway operation, each with its own exact totals', async () => {
    const metrics = async () =>
      Object.fromEntries(
        (await (await fetch(hub.url.replace('/graphql', '/metrics'))).text())
          .split('\n')
          .filter((l) => l && !l.startsWith('#'))
          .map((l) => [l.split(' ')[0], Number(l.split(' ')[1])]),
      );
    const totals = async () =>
      new Map(
        (
          (
            await gqlData(hub.url, `query($p: PeriodInput!) { units(type: PROVINCE) { id caseStats(period: $p, asOf: "2026-11-01") { newlyReceived } } }`, {
              p: PERIOD,
            })
          ).units as { id: string; caseStats: { newlyReceived: number } }[]
        ).map((u) => [u.id, u.caseStats.newlyReceived]),
      );
    const before = await totals();
    expect(before.size).toBe(34);
    const client = liveClient(hub.url);
    const subs = new Map([...before.keys()].map((id) => [id, subscribe(client, LIVE_UNIT, { id, period: PERIOD })]));
    await Promise.all([...subs].map(([id, sub]) => sub.until((v) => v.liveUnit.caseStats.newlyReceived === before.get(id))));
    await new Promise((r) => setTimeout(r, 600)); // past every query's window: all are due at once
    const start = await metrics();
    // A cut change feed refreshes every live query at once: one merged operation for the 34.
    const { Client } = await import('pg');
    const admin = new Client({ connectionString: db });
    await admin.connect();
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'gateway-changes' AND datname = current_database()`);
    await admin.end();
    let end = start;
    for (let i = 0; i < 100 && end.thads_live_executions_total - start.thads_live_executions_total < 34; i++) {
      await new Promise((r) => setTimeout(r, 100));
      end = await metrics();
    }
    expect(end.thads_live_executions_total - start.thads_live_executions_total).toBeGreaterThanOrEqual(34);
    expect(end.thads_live_operations_total - start.thads_live_operations_total).toBeLessThanOrEqual(3);
    // A write in one ward moves its province only: the merged result was cut back per province.
    await write(1);
    await subs.get(province)!.until((v) => v.liveUnit.caseStats.newlyReceived === before.get(province)! + 1);
    const after = await totals();
    for (const [id, sub] of subs) expect(sub.values.at(-1).liveUnit.caseStats.newlyReceived).toBe(after.get(id));
    expect(after.get(province)).toBe(before.get(province)! + 1);
    await client.dispose();
  }, 60000);

  it('refuses an invalid subscription with a clear error and keeps the connection usable', async () => {
    const client = liveClient(hub.url);
    const bad = subscribe(client, `subscription { liveUnit(id: "1") { noSuchField } }`);
    const badDate = subscribe(client, `subscription($p: PeriodInput!) { liveMinistry { caseStats(period: $p, asOf: "2025-02-30") { done } } }`, { p: PERIOD });
    const good = subscribe(client, LIVE_NATION, { period: PERIOD });
    await good.until(() => true);
    // A document with several operations (as client code generators write them) runs the one named.
    const named = client.iterate({
      query: `query Other { ministry { id } } subscription Nation($p: PeriodInput!) { liveMinistry { caseStats(period: $p, asOf: "2026-11-01") { newlyReceived } } }`,
      operationName: 'Nation',
      variables: { p: PERIOD },
    });
    const first = await named.next();
    expect((first.value as { data: { liveMinistry: { caseStats: { newlyReceived: number } } } }).data.liveMinistry.caseStats.newlyReceived).toBe(
      good.values.at(-1).liveMinistry.caseStats.newlyReceived,
    );
    await named.return?.(undefined);
    await new Promise((r) => setTimeout(r, 300));
    expect(JSON.stringify(bad.errors)).toMatch(/noSuchField/);
    expect(JSON.stringify(badDate.errors)).toMatch(/INVALID_DATE|not a date/);
    await client.dispose();
  }, 30000);
});
