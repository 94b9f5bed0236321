import { Client } from 'pg';
import { Prng, announceRewrite, statisticalYearOf, todayInVietnam, type RunningService } from '@thads/kit';
import { bearer } from '../support/auth';
import { gqlData } from '../support/graphql-client';
import { migrateAll, startExtraGateway, startInProcessHub, type InProcessHub } from '../support/in-process-hub';
import { demoCases, leavesOf, seedTestCases, seedTestUnits } from '../support/seeded-db';
import { createTestDatabase, dropTestDatabase } from '../support/test-db';

/** A reporter for the whole country, and the ministry reading. */
const REPORTER = bearer('reporter', [1]);
const MINISTRY = bearer('ministry');
const TODAY = todayInVietnam();
const PERIOD = { year: statisticalYearOf(TODAY) };

const NATION = `query($p: PeriodInput!) { ministry { caseStats(period: $p) { newlyReceived done enforceable completionRate } } }`;
const PROVINCE = `query($id: ID!, $p: PeriodInput!) { unit(id: $id) { caseStats(period: $p) { newlyReceived done } children { id caseStats(period: $p) { newlyReceived done enforceable } } } }`;
const WARD = `query($id: ID!, $p: PeriodInput!) { unit(id: $id) { caseStats(period: $p) { newlyReceived done enforceable } } }`;
const RANKING = `query($p: PeriodInput!) { caseRanking(period: $p, metric: DONE) { rank value unit { id } } }`;
const ALL_WARDS = `query($p: PeriodInput!) { units(type: WARD) { id name caseStats(period: $p) { newlyReceived done } } }`;

/**
 * The gateway's answer cache against the same gateway without it, on the same subgraphs:
 * every answer equals a fresh execution, every read right after a write through the gateway
 * includes it, writes that pass elsewhere arrive by their notices, a rewrite drops everything,
 * and a lost notices connection stops the cache instead of serving what it may have missed.
 */
describe('answers kept until a committed change touches them', () => {
  let db: string;
  let hub: InProcessHub;
  let uncached: RunningService;
  let admin: Client;
  let wards: { id: number; province: number }[];
  const rng = new Prng(20261203);

  beforeAll(async () => {
    db = await createTestDatabase('answer_cache');
    await migrateAll(db);
    const { units } = await seedTestUnits(db);
    await seedTestCases(db, demoCases(leavesOf(units), 1500, 'cache'));
    hub = await startInProcessHub(db);
    uncached = await startExtraGateway(hub, db, { ANSWER_CACHE: 'off' });
    admin = new Client({ connectionString: db });
    await admin.connect();
    const provinces = units
      .filter((u) => u.type === 'PROVINCE' && u.validTo === null)
      .slice(0, 3)
      .map((p) => p.id);
    wards = units
      .filter((u) => u.type === 'WARD' && provinces.includes(u.parentId!))
      .slice(0, 30)
      .map((w) => ({ id: w.id, province: w.parentId! }));
  }, 180000);

  afterAll(async () => {
    await admin?.end();
    await uncached?.stop();
    await hub?.stop();
    if (db) await dropTestDatabase(db);
  });

  const cachedRead = (query: string, variables: Record<string, unknown>) => gqlData(hub.url, query, variables, MINISTRY);
  const freshRead = (query: string, variables: Record<string, unknown>) => gqlData(uncached.url, query, variables, MINISTRY);
  const write = (query: string, variables: Record<string, unknown>, url = hub.url) => gqlData(url, query, variables, REPORTER);
  const receive = (unitId: number, url?: string) =>
    write(
      `mutation($u: ID!, $d: Date!, $k: String!) { receiveCase(input: { unitId: $u, receivedOn: $d, judgmentRef: "9/2026/DS-ST" }, idempotencyKey: $k) { id } }`,
      { u: String(unitId), d: TODAY, k: `cache-${rng.next()}` },
      url,
    );
  const event = (caseId: string, kind: string) =>
    write(
      `mutation($c: ID!, $kind: CaseEventKind!, $d: Date!, $k: String!) { recordCaseEvent(input: { caseId: $c, kind: $kind, occurredOn: $d }, idempotencyKey: $k) { id } }`,
      { c: caseId, kind, d: TODAY, k: `cache-${rng.next()}` },
    );

  /** Adds to a ward's rollup of this month in SQL: a change of figures that no outbox announces. */
  const tamper = (unitId: number, received: number) =>
    admin.query(
      `INSERT INTO cases.case_month_rollup AS r (epoch, unit_id, bucket, month, received)
       VALUES ((SELECT max(valid_from) FROM org_units.rollup_epoch), $1, 0, date_trunc('month', $2::date)::date, $3)
       ON CONFLICT (epoch, unit_id, bucket, month) DO UPDATE SET received = r.received + EXCLUDED.received`,
      [unitId, TODAY, received],
    );

  async function expectEveryAnswerFresh(ward: { id: number; province: number }): Promise<void> {
    for (const [query, variables] of [
      [NATION, { p: PERIOD }],
      [PROVINCE, { id: String(ward.province), p: PERIOD }],
      [WARD, { id: String(ward.id), p: PERIOD }],
      [RANKING, { p: PERIOD }],
    ] as const) {
      expect(await cachedRead(query, variables)).toEqual(await freshRead(query, variables));
    }
  }

  it('answers every read right after a write through the gateway with the write in it, equal to a fresh execution', async () => {
    const open: string[] = [];
    for (let i = 0; i < 40; i++) {
      const ward = wards[rng.int(0, wards.length - 1)]!;
      // Read first, so that the answers are kept when the write lands.
      const before = (await cachedRead(WARD, { id: String(ward.id), p: PERIOD })).unit.caseStats;
      await cachedRead(NATION, { p: PERIOD });
      const nationBefore = (await cachedRead(NATION, { p: PERIOD })).ministry.caseStats;
      const choice = rng.int(0, 2);
      if (choice === 0 || open.length === 0) {
        open.push((await receive(ward.id)).receiveCase.id);
        expect((await cachedRead(WARD, { id: String(ward.id), p: PERIOD })).unit.caseStats.newlyReceived).toBe(before.newlyReceived + 1);
        expect((await cachedRead(NATION, { p: PERIOD })).ministry.caseStats.newlyReceived).toBe(nationBefore.newlyReceived + 1);
      } else if (choice === 1) {
        await event(open[open.length - 1]!, 'CLASSIFIED_ENFORCEABLE');
      } else {
        const id = open.shift()!;
        await event(id, 'CLASSIFIED_ENFORCEABLE');
        await event(id, 'COMPLETED');
        expect((await cachedRead(NATION, { p: PERIOD })).ministry.caseStats.done).toBe(nationBefore.done + 1);
      }
      await expectEveryAnswerFresh(ward);
      // Every ward's figures: one ward fetched again, the others kept, merged in order.
      if (i % 5 === 4) expect(await cachedRead(ALL_WARDS, { p: PERIOD })).toEqual(await freshRead(ALL_WARDS, { p: PERIOD }));
    }
    const metrics = await (await fetch(hub.url.replace('/graphql', '/metrics'))).text();
    expect(Number(/thads_answer_cache_hits_total (\d+)/.exec(metrics)![1])).toBeGreaterThan(40);
    expect(Number(/thads_answer_cache_invalidated_total (\d+)/.exec(metrics)![1])).toBeGreaterThan(40);
    // The entities of the wards no write touched came from the fetch cache.
    expect(Number(/thads_fetch_cache_entity_hits_total (\d+)/.exec(metrics)![1])).toBeGreaterThan(3000);
    // The reads above checked the mutations answered on the notices they named, without a barrier.
    expect(Number(/thads_mutations_settled_by_name_total (\d+)/.exec(metrics)![1])).toBeGreaterThan(0);
  }, 120000);

  it('keeps the answers of a past period through writes dated after it, and drops them for a write dated into it', async () => {
    const ward = wards[3]!;
    const past = { year: 2025 };
    const hits = async () => Number(/thads_answer_cache_hits_total (\d+)/.exec(await (await fetch(hub.url.replace('/graphql', '/metrics'))).text())![1]);
    const before = (await cachedRead(WARD, { id: String(ward.id), p: past })).unit.caseStats;
    await receive(ward.id);
    const counted = await hits();
    expect((await cachedRead(WARD, { id: String(ward.id), p: past })).unit.caseStats).toEqual(before);
    expect(await hits()).toBe(counted + 1);
    expect(await cachedRead(WARD, { id: String(ward.id), p: past })).toEqual(await freshRead(WARD, { id: String(ward.id), p: past }));
    await write(
      `mutation($u: ID!, $k: String!) { receiveCase(input: { unitId: $u, receivedOn: "2025-08-10", judgmentRef: "8/2025/DS-ST" }, idempotencyKey: $k) { id } }`,
      { u: String(ward.id), k: `cache-${rng.next()}` },
    );
    expect((await cachedRead(WARD, { id: String(ward.id), p: past })).unit.caseStats.newlyReceived).toBe(before.newlyReceived + 1);
  });

  it('takes in a write that passed through another gateway once its notice arrives', async () => {
    const ward = wards[0]!;
    const before = (await cachedRead(WARD, { id: String(ward.id), p: PERIOD })).unit.caseStats.newlyReceived;
    await receive(ward.id, uncached.url);
    let now = before;
    for (let tries = 0; tries < 50 && now === before; tries++) {
      await new Promise((r) => setTimeout(r, 20));
      now = (await cachedRead(WARD, { id: String(ward.id), p: PERIOD })).unit.caseStats.newlyReceived;
    }
    expect(now).toBe(before + 1);
  });

  it('takes in a target set by the ministry, the unit’s own and the national one', async () => {
    const TARGET = `query($id: ID!, $p: PeriodInput!) { unit(id: $id) { caseStats(period: $p) { target { unitTarget nationalTarget } } } }`;
    const province = String(wards[0]!.province);
    const targetOf = async () => (await cachedRead(TARGET, { id: province, p: PERIOD })).unit.caseStats.target;
    const set = (unitId: string, caseRate: number) =>
      gqlData(
        hub.url,
        `mutation($u: ID!, $y: Int!, $c: Float!) { setTarget(unitId: $u, year: $y, caseRate: $c, moneyRate: 50) { caseRate } }`,
        { u: unitId, y: PERIOD.year, c: caseRate },
        MINISTRY,
      );
    await targetOf();
    await set(province, 81.5);
    expect((await targetOf()).unitTarget).toBe(81.5);
    await set('1', 84.25);
    expect(await targetOf()).toEqual({ unitTarget: 81.5, nationalTarget: 84.25 });
  });

  it('drops every answer when the figures are rewritten wholesale', async () => {
    const ward = wards[1]!;
    const before = (await cachedRead(WARD, { id: String(ward.id), p: PERIOD })).unit.caseStats.newlyReceived;
    await admin.query('BEGIN');
    await tamper(ward.id, 5);
    await announceRewrite(admin);
    await admin.query('COMMIT');
    let now = before;
    for (let tries = 0; tries < 50 && now === before; tries++) {
      await new Promise((r) => setTimeout(r, 20));
      now = (await cachedRead(WARD, { id: String(ward.id), p: PERIOD })).unit.caseStats.newlyReceived;
    }
    expect(now).toBe(before + 5);
    await tamper(ward.id, -5);
    await announceRewrite(admin);
  });

  it('serves nothing from memory while its notices connection is down, and keeps answers again once it is back', async () => {
    const ward = wards[2]!;
    const read = async () => (await cachedRead(WARD, { id: String(ward.id), p: PERIOD })).unit.caseStats.newlyReceived;
    const before = await read();
    expect(await read()).toBe(before);
    const listeners = async () =>
      (await admin.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'gateway-changes'`)).rows.map(
        (r) => r.pid as number,
      );
    const [cut] = await listeners();
    expect(cut).toBeDefined();
    await admin.query(`SELECT pg_terminate_backend($1)`, [cut]);
    // A change nobody announces, made while the gateway may have heard nothing.
    await tamper(ward.id, 2);
    // Back once a new connection listens (the old one gone).
    for (let tries = 0; tries < 100; tries++) {
      const now = await listeners();
      if (now.length === 1 && now[0] !== cut) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await listeners()).filter((pid) => pid !== cut)).toHaveLength(1);
    expect(await read()).toBe(before + 2);
    // Kept again once the connection listens (the gateway may still be between connect and LISTEN).
    const hits = async () => Number(/thads_answer_cache_hits_total (\d+)/.exec(await (await fetch(hub.url.replace('/graphql', '/metrics'))).text())![1]);
    let served = false;
    for (let tries = 0; tries < 40 && !served; tries++) {
      const counted = await hits();
      expect(await read()).toBe(before + 2);
      served = (await hits()) > counted;
      if (!served) await new Promise((r) => setTimeout(r, 50));
    }
    expect(served).toBe(true);
    await tamper(ward.id, -2);
    await announceRewrite(admin);
  });
});
