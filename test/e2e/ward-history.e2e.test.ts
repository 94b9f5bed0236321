import { gqlData } from '../support/graphql-client';
import { freePortRange, startHubProcess, type HubProcess } from '../support/hub-process';
import { createTestDatabase, dropTestDatabase } from '../support/test-db';

const CASE_FIGURES = '{ carriedOver newlyReceived toEnforce enforceable done completed terminated }';
const MONEY_FIGURES = '{ carriedOver newlyReceived toEnforce enforceable done collected }';
const COMPLAINT_FIGURES = '{ newlyReceived resolved }';

type Figures = Record<string, string | number>;
interface Stats {
  caseStats: Figures;
  moneyStats: Figures;
  complaintStats: Figures;
}
interface Ward {
  id: string;
  caseStats: { previousYear: Figures };
  moneyStats: { previousYear: Figures };
  complaintStats: { previousYear: Figures };
  lineage: { kind: string; from: Stats & { type: string } }[];
}

/**
 * Every current ward, in every province, against the old communes merged into it, on the demo
 * data that `hub start` seeds (20,000 cases up to today): its previous year is theirs.
 */
describe('every ward has a previous year: the sum of the old communes merged into it', () => {
  let db: string;
  let hub: HubProcess;

  beforeAll(async () => {
    db = await createTestDatabase('wardhistory');
    hub = await startHubProcess(db, await freePortRange(5), []);
  }, 240000);

  afterAll(async () => {
    await hub?.stop();
    if (db) await dropTestDatabase(db);
  });

  it('gives every ward, for six months of 2026, the figures of its predecessor communes one year earlier', async () => {
    const { units } = await gqlData<{ units: { code: string }[] }>(hub.url, `{ units(type: PROVINCE, asOf: "2026-03-31") { code } }`);
    expect(units).toHaveLength(34);
    const wards: Ward[] = [];
    for (const { code } of units) {
      const data = await gqlData(
        hub.url,
        `query($code: String!) {
          unitByCode(code: $code, asOf: "2026-03-31") {
            children {
              id
              caseStats(period: { year: 2026, months: 6 }) { previousYear ${CASE_FIGURES} }
              moneyStats(period: { year: 2026, months: 6 }) { previousYear ${MONEY_FIGURES} }
              complaintStats(period: { year: 2026, months: 6 }) { previousYear ${COMPLAINT_FIGURES} }
              lineage {
                kind
                from {
                  type
                  caseStats(period: { year: 2025, months: 6 }) ${CASE_FIGURES}
                  moneyStats(period: { year: 2025, months: 6 }) ${MONEY_FIGURES}
                  complaintStats(period: { year: 2025, months: 6 }) ${COMPLAINT_FIGURES}
                }
              }
            }
          }
        }`,
        { code },
      );
      wards.push(...(data.unitByCode.children as Ward[]));
    }
    expect(wards).toHaveLength(3321);
    const sum = (figures: Figures[], field: string) => String(figures.reduce((s, f) => s + BigInt(f[field]!), 0n));
    const mismatches: string[] = [];
    for (const ward of wards) {
      if (ward.lineage.length < 3 || !ward.lineage.every((l) => l.kind === 'MERGED_INTO' && l.from.type === 'WARD')) mismatches.push(`${ward.id}: lineage`);
      for (const stats of ['caseStats', 'moneyStats', 'complaintStats'] as const) {
        for (const [field, value] of Object.entries(ward[stats].previousYear)) {
          const expected = sum(
            ward.lineage.map((l) => l.from[stats]),
            field,
          );
          if (String(value) !== expected) mismatches.push(`${ward.id} ${stats}.${field}: ${value} ≠ ${expected}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
    // A ward with any case, money or complaint in its previous year. The 20,000-case demo
    // spreads about 14,000 cases over the 10,594 old communes before the reorganization: about
    // 84% of the wards have cases to enforce in Oct 2024 – Mar 2025; 90% would take more cases.
    const nonZero = (f: Figures) => Object.values(f).some((v) => BigInt(v) !== 0n);
    const withHistory = wards.filter((w) => nonZero(w.caseStats.previousYear) || nonZero(w.moneyStats.previousYear) || nonZero(w.complaintStats.previousYear));
    expect(withHistory.length / wards.length).toBeGreaterThanOrEqual(0.8);
  }, 240000);
});
