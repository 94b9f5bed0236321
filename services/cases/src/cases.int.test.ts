import fc from 'fast-check';
import { Client } from 'pg';
import { CHANGES_CHANNEL, CHANGES_HEADER, FAMILIES, parseChangeNotice, todayInVietnam, type DemoCase, type RunningSubgraph } from '@thads/kit';
import { forwarded } from '../../../test/support/auth';
import { caseFiguresBF, coveredUnits, REORG } from '../../../test/support/brute-force';
import { gql, gqlData } from '../../../test/support/graphql-client';
import { demoCases, leavesOf, seedTestCases, seedTestUnits, TEST_CONFIG } from '../../../test/support/seeded-db';
import { createTestDatabase, dropTestDatabase } from '../../../test/support/test-db';
import { start } from './server';

const STATS = `carriedOver newlyReceived totalHandled entrustedOut withdrawn separateBook toEnforce enforceable notEnforceable done completed terminated carriedToNext completionRate enforceableShare`;
const ENTITY_QUERY = `query($reps: [_Any!]!, $period: PeriodInput!, $asOf: Date) {
  _entities(representations: $reps) { ... on OrgUnit { id caseStats(period: $period, asOf: $asOf) { ${STATS} periodStart periodEnd asOf byCategory { category ${STATS} } } } }
}`;

/** The worked example of docs/domain.md (289 done of 327 enforceable: 88.38 %), in one district, statistical year 2022. */
function workedExample(unitId: number, firstId: number): DemoCase[] {
  const cases: DemoCase[] = [];
  let id = firstId;
  const make = (receivedOn: string, enforceable: boolean | null, outcome: DemoCase['outcome']): void => {
    cases.push({
      id: id++,
      unitId,
      judgmentRef: `${id}/2021/DS-ST`,
      receivedOn,
      categories: 0,
      amount: 0n,
      classifications: enforceable === null ? [] : [{ on: receivedOn, enforceable }],
      pauses: [],
      collections: [],
      outcome,
    });
  };
  // 55 carried over from before 1 Oct 2021, all enforceable; 296 received in the year.
  for (let i = 0; i < 55; i++) make('2021-06-15', true, i < 50 ? { on: '2022-03-10', kind: 'COMPLETED' } : null);
  for (let i = 0; i < 296; i++) {
    if (i < 8) make('2021-11-02', null, { on: '2021-12-01', kind: 'ENTRUSTED_OUT' });
    else if (i < 24) make('2021-12-05', false, null);
    else if (i < 263) make('2022-01-10', true, { on: '2022-06-20', kind: 'COMPLETED' });
    else make('2022-02-10', true, null);
  }
  return cases;
}

describe('cases subgraph on a real PostgreSQL', () => {
  let url: string;
  let service: RunningSubgraph;
  let cases: DemoCase[];
  let seeded: Awaited<ReturnType<typeof seedTestUnits>>;
  const district = 10001;

  beforeAll(async () => {
    url = await createTestDatabase('cases');
    seeded = await seedTestUnits(url);
    const generated = demoCases(leavesOf(seeded.units), 4000, 'cases-test');
    cases = [...generated, ...workedExample(district, 1_000_000)];
    await seedTestCases(url, cases);
    service = await start(TEST_CONFIG(url));
  }, 120000);

  afterAll(async () => {
    await service?.stop();
    if (url) await dropTestDatabase(url);
  });

  const statsOf = async (id: number, period: Record<string, unknown>, asOf?: string) => {
    const data = await gqlData(service.url, ENTITY_QUERY, { reps: [{ __typename: 'OrgUnit', id: String(id) }], period, asOf });
    return data._entities[0].caseStats;
  };

  it('reproduces the worked example: 289 ÷ 327 = 88.38%, 54 carried to next year', async () => {
    // Only the hand-made cases: the district also covers its communes' generated ones, so subtract them.
    const mine = cases.filter((c) => c.id >= 1_000_000);
    const bf = caseFiguresBF(mine, new Set([district]), '2021-10-01', '2022-09-30');
    expect(bf).toEqual({
      carriedOver: 55,
      newlyReceived: 296,
      entrustedOut: 8,
      withdrawn: 0,
      separateBook: 0,
      toEnforce: 343,
      enforceable: 327,
      done: 289,
      completed: 289,
      terminated: 0,
      carriedToNext: 54,
    });
    const all = await statsOf(district, { year: 2022 });
    const others = caseFiguresBF(
      cases.filter((c) => c.id < 1_000_000),
      coveredUnits(seeded.units, seeded.lineage, district, all.asOf),
      '2021-10-01',
      '2022-09-30',
    );
    expect(all.done - others.done).toBe(289);
    expect(all.enforceable - others.enforceable).toBe(327);
    expect(all.carriedToNext - others.carriedToNext).toBe(54);
    expect(all.totalHandled - others.carriedOver - others.newlyReceived).toBe(351);
  });

  it('equals a brute-force recomputation from the raw cases for random units, periods and dates', async () => {
    const candidates = [
      1,
      ...seeded.units.filter((u) => u.type === 'PROVINCE').map((u) => u.id),
      ...seeded.units
        .filter((u) => u.type !== 'PROVINCE')
        .slice(0, 50)
        .map((u) => u.id),
      // Wards with old communes merged into them: their figures reach back before 2025-07-01.
      ...seeded.lineage
        .filter((l) => seeded.units.find((u) => u.id === l.toUnitId)!.type === 'WARD')
        .slice(0, 20)
        .map((l) => l.toUnitId),
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...candidates), fc.integer({ min: 2023, max: 2025 }), fc.integer({ min: 1, max: 12 }), async (unitId, year, months) => {
        const stats = await statsOf(unitId, { year, months });
        const covered = coveredUnits(seeded.units, seeded.lineage, unitId, stats.asOf);
        const bf = caseFiguresBF(cases, covered, stats.periodStart, stats.periodEnd);
        expect(stats).toMatchObject(bf);
        expect(stats.notEnforceable).toBe(bf.toEnforce - bf.enforceable);
        const flag = 1;
        expect(stats.byCategory[0]).toMatchObject({ category: 'STATE_BUDGET', ...caseFiguresBF(cases, covered, stats.periodStart, stats.periodEnd, flag) });
      }),
      { numRuns: 40 },
    );
  });

  it('sums the 34 provinces to the national figures after the reorganization, and the 63 before it', async () => {
    const newProvinces = seeded.units.filter((u) => u.type === 'PROVINCE' && u.validTo === null).map((u) => u.id);
    const oldProvinces = seeded.units.filter((u) => u.type === 'PROVINCE' && u.validTo === REORG).map((u) => u.id);
    for (const [ids, period] of [
      [newProvinces, { year: 2025 }],
      [oldProvinces, { year: 2024 }],
    ] as const) {
      const data = await gqlData(service.url, ENTITY_QUERY, { reps: [1, ...ids].map((id) => ({ __typename: 'OrgUnit', id: String(id) })), period });
      const [nation, ...parts] = data._entities.map((e: { caseStats: Record<string, number> }) => e.caseStats);
      for (const key of ['carriedOver', 'newlyReceived', 'toEnforce', 'enforceable', 'done', 'carriedToNext']) {
        expect(parts.reduce((s: number, p: Record<string, number>) => s + p[key]!, 0)).toBe(nation[key]);
      }
      expect(nation.done).toBeGreaterThan(0);
    }
  });

  it("gives a merged province's 2024 figures as the sums of its predecessors'", async () => {
    const merged = seeded.units.find((u) => u.code === 'tuyen-quang' && u.validTo === null)!;
    const predecessors = seeded.lineage.filter((l) => l.toUnitId === merged.id).map((l) => l.fromUnitId);
    expect(predecessors.length).toBe(2);
    const data = await gqlData(service.url, ENTITY_QUERY, {
      reps: [merged.id, ...predecessors].map((id) => ({ __typename: 'OrgUnit', id: String(id) })),
      period: { year: 2024 },
      asOf: '2025-09-30',
    });
    const [whole, ...parts] = data._entities.map((e: { caseStats: Record<string, number> }) => e.caseStats);
    expect(whole.done).toBe(parts.reduce((s: number, p: Record<string, number>) => s + p.done!, 0));
    expect(whole.done).toBeGreaterThan(0);
  });

  it('refuses a malformed period or date with a stable code', async () => {
    const reps = [{ __typename: 'OrgUnit', id: '1' }];
    const badPeriod = await gql(service.url, ENTITY_QUERY, { reps, period: { year: 2025, months: 14 } });
    expect(badPeriod.errors?.[0]?.extensions?.code).toBe('INVALID_PERIOD');
    const badDate = await gql(service.url, ENTITY_QUERY, { reps, period: { year: 2025 }, asOf: '2025-02-30' });
    expect(badDate.errors?.[0]?.extensions?.code).toBe('INVALID_DATE');
    expect(JSON.stringify(badDate)).not.toMatch(/stack|at Object|node_modules/);
  });

  it('finds a case by id and says CASE_NOT_FOUND otherwise', async () => {
    const found = await gqlData(service.url, `{ enforcementCase(id: "1000000") { id receivedOn status enforceable } }`);
    expect(found.enforcementCase).toEqual({ id: '1000000', receivedOn: '2021-06-15', status: 'DONE', enforceable: true });
    const missing = await gql(service.url, `{ enforcementCase(id: "999999999") { id } }`);
    expect(missing.errors?.[0]?.extensions?.code).toBe('CASE_NOT_FOUND');
  });

  it("names a mutation's change notice in its answer, as the notice itself does, for the gateway to wait for", async () => {
    const ward = seeded.units.find((u) => u.type === 'WARD' && !u.validTo)!;
    const listener = new Client({ connectionString: url });
    await listener.connect();
    const names: string[] = [];
    listener.on('notification', (n) => names.push(parseChangeNotice(n.payload ?? '')?.name ?? ''));
    await listener.query(`LISTEN ${CHANGES_CHANNEL}`);
    try {
      const reporter = forwarded({ subject: 'notice-test', role: 'reporter', units: [1], families: [...FAMILIES] });
      const write = await gql(
        service.url,
        `mutation($input: ReceiveCaseInput!) { receiveCase(input: $input, idempotencyKey: "notice-name-1") { id } }`,
        { input: { unitId: String(ward.id), receivedOn: todayInVietnam(), judgmentRef: '1/2026/TB' } },
        reporter,
      );
      expect(write.errors).toBeUndefined();
      const named = write.headers.get(CHANGES_HEADER)!;
      expect(named).toMatch(/^[0-9a-f]{10}\.[0-9a-z]+$/);
      await listener.query('SELECT 1'); // notices committed before it arrive before its answer
      expect(names).toEqual([named]);
      // Nothing written (the same key again, a query): nothing named, or no header at all.
      const again = await gql(
        service.url,
        `mutation($input: ReceiveCaseInput!) { receiveCase(input: $input, idempotencyKey: "notice-name-1") { id } }`,
        { input: { unitId: String(ward.id), receivedOn: todayInVietnam(), judgmentRef: '1/2026/TB' } },
        reporter,
      );
      expect([again.errors, again.headers.get(CHANGES_HEADER)]).toEqual([undefined, '']);
      expect((await gql(service.url, `{ enforcementCase(id: "1000000") { id } }`)).headers.get(CHANGES_HEADER)).toBeNull();
    } finally {
      await listener.end();
    }
  });

  it('answers /health and /ready', async () => {
    const base = service.url.replace('/graphql', '');
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect(await (await fetch(`${base}/ready`)).json()).toEqual({ status: 'ready', service: 'cases' });
  });
});
