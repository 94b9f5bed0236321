import { bearer } from '../support/auth';
import { gql, gqlData } from '../support/graphql-client';
import { migrateAll, startInProcessHub, type InProcessHub } from '../support/in-process-hub';
import { demoCases, leavesOf, seedTestCases, seedTestComplaints, seedTestMoney, seedTestUnits } from '../support/seeded-db';
import { createTestDatabase, dropTestDatabase } from '../support/test-db';

const MINISTRY = bearer('ministry');
/** The test seed's last statistical year: 1 Oct 2024 – 30 Sep 2025, across the 2025 reorganization. */
const MONTHS = ['2024-10', '2024-11', '2024-12', '2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06', '2025-07', '2025-08', '2025-09'];
const AS_OF = '2025-09-30';
const CASE = 'carriedOver newlyReceived entrustedOut withdrawn toEnforce enforceable done completed terminated carriedToNext completionRate';
const MONEY = 'carriedOver newlyReceived enforceable done collected carriedToNext completionRate';
const COMPLAINT = 'carriedOver newlyReceived toResolve resolved pending resolutionRate';

type Figures = Record<string, unknown>;

/** The same figures read one period at a time, as aliases of one request. */
async function singleReads(url: string, unitId: string, field: string, selection: string, periods: Record<string, unknown>[]): Promise<Figures[]> {
  const aliases = periods.map((p, i) => `p${i}: ${field}(period: ${JSON.stringify(p).replace(/"(\w+)":/g, '$1:')}, asOf: "${AS_OF}") { ${selection} }`);
  const { unit } = await gqlData<{ unit: Record<string, Figures> }>(url, `{ unit(id: "${unitId}") { ${aliases.join(' ')} } }`, undefined, MINISTRY);
  return periods.map((_p, i) => unit[`p${i}`]!);
}

/**
 * Series and grids: a 12-month series equals 12 single-period reads (plain and cumulative,
 * months and quarters, for cases, money and complaints), a grid equals the single reads it
 * stands for, and both refuse what they cannot answer with a clear code.
 */
describe('series and grids', () => {
  let db: string;
  let hub: InProcessHub;
  let province: string;
  let otherProvince: string;

  beforeAll(async () => {
    db = await createTestDatabase('series_grid');
    await migrateAll(db);
    const { units } = await seedTestUnits(db);
    const leaves = leavesOf(units);
    const cases = demoCases(leaves, 1500, 'series');
    await seedTestCases(db, cases);
    await seedTestMoney(db, cases);
    await seedTestComplaints(db, leaves, 8000, 'series');
    hub = await startInProcessHub(db);
    const provinces = units.filter((u) => u.type === 'PROVINCE' && u.validTo === null);
    province = String(provinces[0]!.id);
    otherProvince = String(provinces[1]!.id);
  }, 180000);

  afterAll(async () => {
    await hub?.stop();
    if (db) await dropTestDatabase(db);
  });

  const families: [string, string, string][] = [
    ['caseSeries', 'caseStats', CASE],
    ['moneySeries', 'moneyStats', MONEY],
    ['complaintSeries', 'complaintStats', COMPLAINT],
  ];

  it.each(families)('%s: 12 months equal 12 single reads, plain and cumulative', async (series, stats, selection) => {
    for (const unitId of ['1', province]) {
      for (const cumulative of [false, true]) {
        const { unit } = await gqlData<{ unit: { s: { label: string; periodStart: string; periodEnd: string; figures: Figures }[] } }>(
          hub.url,
          `{ unit(id: "${unitId}") { s: ${series}(from: "2024-10", to: "2025-09", cumulative: ${cumulative}) { label periodStart periodEnd figures { ${selection} } } } }`,
          undefined,
          MINISTRY,
        );
        expect(unit.s.map((p) => p.label)).toEqual(MONTHS);
        const singles = await singleReads(
          hub.url,
          unitId,
          stats,
          selection,
          MONTHS.map((m, i) => (cumulative ? { year: 2025, months: i + 1 } : { fromMonth: m, toMonth: m })),
        );
        expect(unit.s.map((p) => p.figures)).toEqual(singles);
      }
    }
    // Real figures: the nation's year is not a series of zeros.
    const [year] = await singleReads(hub.url, '1', stats, selection, [{ year: 2025 }]);
    expect(Object.values(year!).some((v) => v !== 0 && v !== '0' && v !== null)).toBe(true);
  });

  it('steps by quarter and statistical year as single reads do', async () => {
    const { unit } = await gqlData<{ unit: { q: { label: string; figures: Figures }[]; y: { label: string; figures: Figures }[] } }>(
      hub.url,
      `{ unit(id: "${province}") { q: caseSeries(from: "2024-10", to: "2025-09", step: QUARTER) { label figures { ${CASE} } }
        y: caseSeries(from: "2022-10", to: "2025-09", step: YEAR) { label figures { ${CASE} } } } }`,
      undefined,
      MINISTRY,
    );
    expect(unit.q.map((p) => p.label)).toEqual([1, 2, 3, 4].map((q) => `quarter ${q} of statistical year 2025`));
    expect(unit.q.map((p) => p.figures)).toEqual(
      await singleReads(
        hub.url,
        province,
        'caseStats',
        CASE,
        [1, 2, 3, 4].map((quarter) => ({ year: 2025, quarter })),
      ),
    );
    expect(unit.y.map((p) => p.label)).toEqual([2023, 2024, 2025].map((y) => `statistical year ${y}`));
    expect(unit.y.map((p) => p.figures)).toEqual(
      await singleReads(
        hub.url,
        province,
        'caseStats',
        CASE,
        [2023, 2024, 2025].map((year) => ({ year })),
      ),
    );
  });

  it('answers a grid of the provinces equal to their single reads, and three reports’ grids in one request', async () => {
    const periods = [{ year: 2025 }, { year: 2025, quarter: 2 }];
    const { caseGrid, moneyGrid, complaintGrid } = await gqlData<
      Record<
        string,
        { asOf: string; columns: { indicator: string; periodStart: string }[]; rows: { unitId: string; unitName: string; values: (string | null)[] }[] }
      >
    >(
      hub.url,
      `query($p: [PeriodInput!]!, $units: [ID!]) {
        caseGrid(level: PROVINCE, periods: $p, indicators: [DONE, ENFORCEABLE, COMPLETION_RATE, TERMINATED]) { asOf columns { indicator periodStart } rows { unitId unitName values } }
        moneyGrid(units: $units, periods: $p, indicators: [COLLECTED, COMPLETION_RATE]) { asOf columns { indicator periodStart } rows { unitId unitName values } }
        complaintGrid(units: $units, periods: $p, indicators: [RESOLVED, RESOLUTION_RATE]) { asOf columns { indicator periodStart } rows { unitId unitName values } }
      }`,
      { p: periods, units: ['1', province] },
      MINISTRY,
    );
    expect(caseGrid!.asOf).toBe(AS_OF);
    expect(caseGrid!.columns.map((c) => `${c.indicator}@${c.periodStart}`)).toEqual(
      ['2024-10-01', '2025-01-01'].flatMap((start) => ['DONE', 'ENFORCEABLE', 'COMPLETION_RATE', 'TERMINATED'].map((i) => `${i}@${start}`)),
    );
    expect(caseGrid!.rows).toHaveLength(34);
    const names = caseGrid!.rows.map((r) => r.unitName);
    expect(names).toEqual([...names].sort(new Intl.Collator('vi').compare));
    const rate = (v: unknown) => (v === null ? null : (v as number).toFixed(2));
    for (const row of caseGrid!.rows.slice(0, 6)) {
      const singles = await singleReads(hub.url, row.unitId, 'caseStats', 'done enforceable completionRate terminated', periods);
      expect(row.values).toEqual(singles.flatMap((s) => [String(s.done), String(s.enforceable), rate(s.completionRate), String(s.terminated)]));
    }
    for (const [grid, stats, cells] of [
      [moneyGrid!, 'moneyStats', (s: Figures) => [String(s.collected), rate(s.completionRate)]],
      [complaintGrid!, 'complaintStats', (s: Figures) => [String(s.resolved), rate(s.resolutionRate)]],
    ] as const) {
      expect(grid.rows.map((r) => r.unitId)).toEqual(['1', province]);
      for (const row of grid.rows) {
        const singles = await singleReads(hub.url, row.unitId, stats, stats === 'moneyStats' ? 'collected completionRate' : 'resolved resolutionRate', periods);
        expect(row.values).toEqual(singles.flatMap((s) => cells(s)));
      }
    }
  });

  it('refuses what it cannot answer, with stable codes', async () => {
    const code = async (query: string, headers = MINISTRY) => (await gql(hub.url, query, undefined, headers)).errors?.[0]?.extensions?.code;
    expect(await code(`{ caseGrid(units: ["1"], level: PROVINCE, periods: [{ year: 2025 }], indicators: [DONE]) { asOf } }`)).toBe('BAD_USER_INPUT');
    expect(await code(`{ caseGrid(level: PROVINCE, periods: [], indicators: [DONE]) { asOf } }`)).toBe('BAD_USER_INPUT');
    expect(await code(`{ caseGrid(units: ["99999999"], periods: [{ year: 2025 }], indicators: [DONE]) { asOf } }`)).toBe('UNIT_NOT_FOUND');
    expect(await code(`{ unit(id: "1") { caseSeries(from: "2025-09", to: "2024-10") { label } } }`)).toBe('INVALID_PERIOD');
    expect(await code(`{ unit(id: "1") { caseSeries(from: "1990-01", to: "2025-09", step: MONTH) { label } } }`)).toBe('INVALID_PERIOD');
    const provinceToken = bearer('province', [Number(province)]);
    expect(await code(`{ caseGrid(level: WARD, within: "${otherProvince}", periods: [{ year: 2025 }], indicators: [DONE]) { asOf } }`, provinceToken)).toBe(
      'FORBIDDEN',
    );
    const own = await gql(
      hub.url,
      `{ caseGrid(level: WARD, within: "${province}", periods: [{ year: 2025 }], indicators: [DONE]) { rows { unitId } } }`,
      undefined,
      provinceToken,
    );
    expect(own.errors).toBeUndefined();
    expect((own.data as { caseGrid: { rows: unknown[] } }).caseGrid.rows.length).toBeGreaterThan(0);
  });
});
