import fc from 'fast-check';
import type { DemoCase, RunningSubgraph } from '@thads/kit';
import { coveredUnits, moneyFiguresBF } from '../../../test/support/brute-force';
import { gql, gqlData } from '../../../test/support/graphql-client';
import { demoCases, leavesOf, seedTestMoney, seedTestUnits, TEST_CONFIG } from '../../../test/support/seeded-db';
import { createTestDatabase, dropTestDatabase } from '../../../test/support/test-db';
import { start } from './server';

const STATS = `carriedOver newlyReceived totalHandled toEnforce enforceable notEnforceable done collected carriedToNext completionRate`;
const ENTITY_QUERY = `query($reps: [_Any!]!, $period: PeriodInput!, $asOf: Date) {
  _entities(representations: $reps) { ... on OrgUnit { id moneyStats(period: $period, asOf: $asOf) { ${STATS} periodStart periodEnd asOf stateBudgetCollected byCategory { category done } } } }
}`;

describe('finances subgraph on a real PostgreSQL', () => {
  let url: string;
  let service: RunningSubgraph;
  let cases: DemoCase[];
  let seeded: Awaited<ReturnType<typeof seedTestUnits>>;

  beforeAll(async () => {
    url = await createTestDatabase('finances');
    seeded = await seedTestUnits(url);
    cases = demoCases(leavesOf(seeded.units), 3000, 'finances-test');
    await seedTestMoney(url, cases);
    service = await start(TEST_CONFIG(url));
  }, 120000);

  afterAll(async () => {
    await service?.stop();
    if (url) await dropTestDatabase(url);
  });

  const statsOf = async (ids: number[], period: Record<string, unknown>, asOf?: string) =>
    (await gqlData(service.url, ENTITY_QUERY, { reps: ids.map((id) => ({ __typename: 'OrgUnit', id: String(id) })), period, asOf }))._entities.map(
      (e: { moneyStats: Record<string, unknown> }) => e.moneyStats,
    );

  it('equals a brute-force recomputation to the last dong, as exact integer strings', async () => {
    const candidates = [1, ...seeded.units.filter((u) => u.type === 'PROVINCE').map((u) => u.id)];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...candidates), fc.integer({ min: 2023, max: 2025 }), fc.integer({ min: 1, max: 4 }), async (unitId, year, quarter) => {
        const [stats] = await statsOf([unitId], { year, quarter });
        const bf = moneyFiguresBF(cases, coveredUnits(seeded.units, seeded.lineage, unitId, stats.asOf), stats.periodStart, stats.periodEnd);
        expect(stats).toMatchObject(Object.fromEntries(Object.entries(bf).map(([k, v]) => [k, v.toString()])));
      }),
      { numRuns: 30 },
    );
  });

  it('serializes money as strings of digits and computes the rate from integers', async () => {
    const [nation] = await statsOf([1], { year: 2025 });
    expect(nation.done).toMatch(/^\d+$/);
    const done = BigInt(nation.done);
    const enforceable = BigInt(nation.enforceable);
    expect(done).toBeGreaterThan(0n);
    const expected = Number((done * 20000n + enforceable) / (enforceable * 2n)) / 100;
    expect(nation.completionRate).toBe(expected);
    expect(BigInt(nation.stateBudgetCollected)).toBeLessThanOrEqual(BigInt(nation.collected));
  });

  it('sums the provinces to the national figures', async () => {
    const provinces = seeded.units.filter((u) => u.type === 'PROVINCE' && u.validTo === null).map((u) => u.id);
    const [nation, ...parts] = await statsOf([1, ...provinces], { year: 2025, months: 9 });
    for (const key of ['carriedOver', 'newlyReceived', 'toEnforce', 'enforceable', 'done']) {
      expect(parts.reduce((s: bigint, p: Record<string, string>) => s + BigInt(p[key]!), 0n).toString()).toBe(nation[key]);
    }
  });

  it('says CASE_NOT_FOUND for a case with no money', async () => {
    const res = await gql(service.url, `{ caseMoney(caseId: "abc") { amount } }`);
    expect(res.errors?.[0]?.extensions?.code).toBe('CASE_NOT_FOUND');
    const found = await gqlData(service.url, `{ caseMoney(caseId: "1") { caseId amount remaining } }`);
    expect(found.caseMoney.amount).toBe(cases[0]!.amount.toString());
  });
});
