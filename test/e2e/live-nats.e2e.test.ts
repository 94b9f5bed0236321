import { execFileSync } from 'node:child_process';
import { connect } from 'nats';
import { ChangeStream, NatsOutboxRelay, createLogger, type RunningService } from '@thads/kit';
import { bearer } from '../support/auth';
import { gqlData } from '../support/graphql-client';
import { migrateAll, startExtraGateway, startInProcessHub, type InProcessHub } from '../support/in-process-hub';
import { liveClient, subscribe } from '../support/live-client';
import { demoCases, leavesOf, provinceAndWard, seedTestCases, seedTestUnits } from '../support/seeded-db';
import { createTestDatabase, dropTestDatabase } from '../support/test-db';

const NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

/** NATS with JetStream runs on this machine and in CI; a machine without it skips this file, saying so. */
function natsReachable(): boolean {
  const { hostname, port } = new URL(NATS_URL.replace(/^nats:/, 'http:'));
  const probe = `require('net').connect(${Number(port) || 4222}, ${JSON.stringify(hostname)}).on('connect', () => process.exit(0)).on('error', () => process.exit(1)); setTimeout(() => process.exit(1), 2000)`;
  try {
    execFileSync(process.execPath, ['-e', probe], { stdio: 'ignore' });
    return true;
  } catch {
    console.warn(`NATS is not reachable at ${NATS_URL}: the NATS JetStream transport tests are skipped (set TEST_NATS_URL).`);
    return false;
  }
}

const PERIOD = { fromMonth: '2025-07', toMonth: '2026-12' };
const LIVE_UNIT = `subscription($id: ID!, $period: PeriodInput!) { liveUnit(id: $id) { id caseStats(period: $period, asOf: "2026-11-01") { newlyReceived } } }`;
const LIVE_NATION = `subscription($period: PeriodInput!) { liveMinistry { caseStats(period: $period, asOf: "2026-11-01") { newlyReceived } } }`;

(natsReachable() ? describe : describe.skip)('live totals over NATS JetStream', () => {
  const stream = new ChangeStream(`THADS_TEST_${process.pid}_${Date.now()}`);
  let db: string;
  let hub: InProcessHub;
  let second: RunningService | undefined;
  let ward: number;
  let province: number;
  let n = 0;

  beforeAll(async () => {
    db = await createTestDatabase('livenats');
    await migrateAll(db);
    const { units } = await seedTestUnits(db);
    await seedTestCases(db, demoCases(leavesOf(units), 500, 'livenats'));
    hub = await startInProcessHub(db, { transport: 'nats', natsUrl: NATS_URL, stream: stream.name });
    ({ province, ward } = provinceAndWard(units, 'tuyen-quang'));
  }, 180000);

  afterAll(async () => {
    await second?.stop();
    await hub?.stop();
    if (db) await dropTestDatabase(db);
    const nc = await connect({ servers: NATS_URL });
    await (await nc.jetstreamManager()).streams.delete(stream.name).catch(() => false);
    await nc.close();
  });

  const write = (count = 1) =>
    Promise.all(
      Array.from({ length: count }, () =>
        gqlData(
          hub.url,
          `mutation($input: ReceiveCaseInput!, $key: String!) { receiveCase(input: $input, idempotencyKey: $key) { id } }`,
          {
            input: { unitId: String(ward), receivedOn: '2026-10-15', judgmentRef: `nats-${n}/2026` },
            key: `live-nats-${process.pid}-${++n}`,
          },
          bearer('reporter', [1]),
        ),
      ),
    );
  const received = async (id: number) =>
    (
      await gqlData(hub.url, `query($id: ID!, $p: PeriodInput!) { unit(id: $id) { caseStats(period: $p, asOf: "2026-11-01") { newlyReceived } } }`, {
        id: String(id),
        p: PERIOD,
      })
    ).unit.caseStats.newlyReceived as number;

  it('carries a write in a ward to its province and the nation, with the exact new totals, through the stream', async () => {
    const client = liveClient(hub.url);
    const p0 = await received(province);
    const provinceSub = subscribe(client, LIVE_UNIT, { id: String(province), period: PERIOD });
    const nationSub = subscribe(client, LIVE_NATION, { period: PERIOD });
    await provinceSub.until((v) => v.liveUnit.caseStats.newlyReceived === p0);
    const n0 = (await nationSub.until(() => true)).liveMinistry.caseStats.newlyReceived;
    await write(3);
    await provinceSub.until((v) => v.liveUnit.caseStats.newlyReceived === p0 + 3);
    await nationSub.until((v) => v.liveMinistry.caseStats.newlyReceived === n0 + 3);
    // The stream holds the cases outbox rows, one message a committed write.
    const nc = await connect({ servers: NATS_URL });
    const info = await (await nc.jetstreamManager()).streams.info(stream.name);
    await nc.close();
    expect(info.state.messages).toBeGreaterThanOrEqual(3);
    await client.dispose();
  }, 60000);

  it('delivers every change to two gateway replicas, each with a consumer of its own', async () => {
    second = await startExtraGateway(hub, db, { LIVE_TRANSPORT: 'nats', NATS_URL, NATS_STREAM: stream.name });
    const [a, b] = [liveClient(hub.url), liveClient(second.url)];
    const before = await received(province);
    const subA = subscribe(a, LIVE_UNIT, { id: String(province), period: PERIOD });
    const subB = subscribe(b, LIVE_UNIT, { id: String(province), period: PERIOD });
    await Promise.all([subA.until(() => true), subB.until(() => true)]);
    await write(2);
    await subA.until((v) => v.liveUnit.caseStats.newlyReceived === before + 2);
    await subB.until((v) => v.liveUnit.caseStats.newlyReceived === before + 2);
    await Promise.all([a.dispose(), b.dispose()]);
  }, 60000);

  it('publishes, when its relay starts again, what was committed while it was down', async () => {
    const cases = hub.subgraphs[1]!;
    await cases.relay!.stop();
    const client = liveClient(hub.url);
    const before = await received(province);
    const sub = subscribe(client, LIVE_UNIT, { id: String(province), period: PERIOD });
    await sub.until((v) => v.liveUnit.caseStats.newlyReceived === before);
    await write(2); // committed, in the outbox, not on the stream
    await new Promise((r) => setTimeout(r, 400));
    expect(sub.values.at(-1)!.liveUnit.caseStats.newlyReceived).toBe(before);
    const relay = new NatsOutboxRelay('cases', db, NATS_URL, createLogger('relay-test', 'warn'), stream);
    await relay.start();
    try {
      await sub.until((v) => v.liveUnit.caseStats.newlyReceived === before + 2);
    } finally {
      await relay.stop();
      await client.dispose();
    }
  }, 60000);

  it('refuses to start a gateway whose NATS cannot be reached, saying what to do', async () => {
    await expect(startExtraGateway(hub, db, { LIVE_TRANSPORT: 'nats', NATS_URL: 'nats://127.0.0.1:1', NATS_STREAM: stream.name })).rejects.toThrow(
      /NATS is not reachable at nats:\/\/127\.0\.0\.1:1.*LIVE_TRANSPORT=postgres/,
    );
  }, 30000);
});
