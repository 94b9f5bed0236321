import { Progress, demoCaseTotal, generateDemoCases, generateDemoComplaints, type DemoLeaf } from '@thads/kit';
import { clearCases, casesDataSource, insertDemoCases, rebuildCaseAggregates } from '@thads/cases';
import { clearComplaints, complaintsDataSource, insertDemoComplaints, rebuildComplaintAggregates } from '@thads/complaints';
import { clearMoney, financesDataSource, insertDemoMoney, rebuildMoneyAggregates } from '@thads/finances';
import { leafUnits, orgUnitsDataSource, seedUnits } from '@thads/org-units';
import { migrateAll } from './migrate';

export interface SeedOptions {
  /** Cases received in the three years up to `until` (a backlog of 20% from the year before comes on top). */
  cases: number;
  seed: string;
  /** The last day of the demo data, YYYY-MM-DD (the CLI: today in Vietnam). */
  until: string;
}

export interface SeedSummary {
  units: number;
  cases: number;
  caseEvents: number;
  moneyEvents: number;
  petitions: number;
  seconds: number;
}

/**
 * Replaces all data with the deterministic demo set: units and lineage, then cases, money
 * and complaints over the leaf units, then the monthly aggregates, with a progress bar.
 */
export async function seedAll(url: string, options: SeedOptions, log: (line: string) => void): Promise<SeedSummary> {
  const started = Date.now();
  await migrateAll(url, () => {});
  const units = orgUnitsDataSource(url, 2);
  const cases = casesDataSource(url, 2);
  const money = financesDataSource(url, 2);
  const complaints = complaintsDataSource(url, 2);
  await Promise.all([units, cases, money, complaints].map((d) => d.initialize()));
  try {
    // The facts go first: the new hierarchy then sums the (empty) rollups again at no cost.
    await Promise.all([clearCases(cases), clearMoney(money), clearComplaints(complaints)]);
    const seeded = await seedUnits(units);
    log(`org-units: ${seeded.units.length} units, ${seeded.lineage.length} lineage edges, ${seeded.rollupEdges} rollup edges`);
    const leaves: DemoLeaf[] = leafUnits(seeded.units);

    const total = demoCaseTotal(options.cases);
    const progress = new Progress('cases + money', total, 'cases');
    let caseEvents = 0;
    let moneyEvents = 0;
    for (const chunk of generateDemoCases({ cases: options.cases, leaves, seed: options.seed, until: options.until })) {
      const [c, m] = await Promise.all([insertDemoCases(cases, chunk), insertDemoMoney(money, chunk)]);
      caseEvents += c;
      moneyEvents += m;
      progress.tick(chunk.length);
    }
    progress.finish();
    const { petitions, receptions } = generateDemoComplaints({ cases: options.cases, leaves, seed: options.seed, until: options.until });
    await insertDemoComplaints(complaints, petitions, receptions);
    log(`complaints: ${petitions.length} petitions, ${receptions.length} citizen receptions`);
    log('rebuilding monthly aggregates…');
    await Promise.all([rebuildCaseAggregates(cases), rebuildMoneyAggregates(money), rebuildComplaintAggregates(complaints)]);
    // Statistics for the loaded facts too: autovacuum may be off or late, and the planner would
    // take a table of a million events for a few rows (the checks of writes, verify, rebuild).
    await Promise.all([
      units.query('ANALYZE org_units.org_unit, org_units.lineage'),
      cases.query('ANALYZE cases.enforcement_case, cases.case_event'),
      money.query('ANALYZE finances.case_money, finances.money_event'),
      complaints.query('ANALYZE complaints.petition, complaints.citizen_reception'),
    ]);
    return { units: seeded.units.length, cases: total, caseEvents, moneyEvents, petitions: petitions.length, seconds: (Date.now() - started) / 1000 };
  } finally {
    await Promise.all([units, cases, money, complaints].map((d) => d.destroy()));
  }
}

/** Whether the hub has no units yet (a fresh database). */
export async function isEmpty(url: string): Promise<boolean> {
  const units = orgUnitsDataSource(url, 1);
  await units.initialize();
  try {
    const [{ n }] = await units.query(`SELECT count(*)::int AS n FROM org_units.org_unit`);
    return n === 0;
  } finally {
    await units.destroy();
  }
}
