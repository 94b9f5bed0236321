import { join } from 'node:path';
import pino from 'pino';
import { readGatewayConfig } from '../../gateway/src/config';
import type { WatchSpec } from '../../gateway/src/live/live-registry';
import { WorkerEngine } from '../../gateway/src/live/worker-engine';
import { TEST_IDENTITY_SECRET, TEST_JWT_SECRET, bearer } from '../support/auth';
import { gqlData } from '../support/graphql-client';
import { migrateAll, startInProcessHub, type InProcessHub } from '../support/in-process-hub';
import { ROOT } from '../support/pg-server';
import { demoCases, leavesOf, provinceAndWard, seedTestCases, seedTestUnits } from '../support/seeded-db';
import { createTestDatabase, dropTestDatabase } from '../support/test-db';

const PERIOD = '{ fromMonth: "2025-07", toMonth: "2026-12" }';
const REFRESH = `query ($id: ID!) { liveUnit: unit(id: $id) { id caseStats(period: ${PERIOD}, asOf: "2026-11-01") { newlyReceived } } }`;
const ministry = { subject: 'test-ministry', role: 'ministry' as const, units: [], families: [] };

/**
 * The live worker thread (LIVE_WORKER=on) on its own, against a real hub: it keeps the
 * watched live queries current from the change feed, and when the thread dies the engine
 * starts another and watches everything again, so values keep coming.
 */
describe('the live worker thread', () => {
  let db: string;
  let hub: InProcessHub;
  let engine: WorkerEngine | undefined;
  let province: number;
  let ward: number;

  beforeAll(async () => {
    db = await createTestDatabase('liveworker');
    await migrateAll(db);
    const { units } = await seedTestUnits(db);
    await seedTestCases(db, demoCases(leavesOf(units), 300, 'liveworker'));
    hub = await startInProcessHub(db);
    ({ province, ward } = provinceAndWard(units, 'tuyen-quang'));
  }, 180000);

  afterAll(async () => {
    await engine?.stop();
    await hub?.stop();
    if (db) await dropTestDatabase(db);
  });

  it('publishes exact totals after each write, and again after its thread died and was started anew', async () => {
    const [ou, cs, fi, co] = hub.subgraphs.map((s) => s.url);
    const config = readGatewayConfig({
      SUPERGRAPH_PATH: join(ROOT, 'schema', 'supergraph.graphql'),
      ORG_UNITS_URL: ou,
      CASES_URL: cs,
      FINANCES_URL: fi,
      COMPLAINTS_URL: co,
      DATABASE_URL: db,
      LIVE_WORKER: 'on',
      LIVE_WINDOW_MS: '50',
      LOG_LEVEL: 'fatal',
      IDENTITY_SECRET: TEST_IDENTITY_SECRET,
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
    });
    const values: number[] = [];
    const waiters: { n: number; done: () => void }[] = [];
    engine = await WorkerEngine.start(
      config,
      (key, value) => {
        if (key !== 'tq') return;
        const n = JSON.parse(value).data.liveUnit.caseStats.newlyReceived as number;
        values.push(n);
        for (const w of waiters.filter((x) => x.n === n)) w.done();
      },
      pino({ level: 'silent' }),
    );
    const reach = (n: number) => (values.includes(n) ? Promise.resolve() : new Promise<void>((done) => waiters.push({ n, done })));
    const spec: WatchSpec = { key: 'tq', group: 'g', query: REFRESH, variables: { id: String(province) }, identity: ministry, roots: [province] };
    const write = (n: number) =>
      gqlData(
        hub.url,
        `mutation($input: ReceiveCaseInput!, $key: String!) { receiveCase(input: $input, idempotencyKey: $key) { id } }`,
        {
          input: { unitId: String(ward), receivedOn: '2026-10-15', judgmentRef: `worker-${n}/2026` },
          key: `live-worker-${process.pid}-${n}`,
        },
        bearer('reporter', [1]),
      );
    const before = (await gqlData(hub.url, REFRESH.replace('liveUnit: ', ''), { id: String(province) }, bearer('ministry'))).unit.caseStats
      .newlyReceived as number;

    engine.watch(spec);
    await reach(before);
    await write(1);
    await reach(before + 1);

    // The thread dies (as an uncaught error would end it); the engine starts another.
    await (engine as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    await write(2);
    await reach(before + 2);
    expect(values.at(-1)).toBe(before + 2);
    // Its metrics come from the new thread.
    expect((await engine.metrics())?.counters.executions).toBeGreaterThanOrEqual(1);
  }, 60000);
});
