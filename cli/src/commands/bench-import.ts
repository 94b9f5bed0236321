import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyRows, demoEventLines, generateDemoCases, generateDemoComplaints, toNdjson, type DemoLeaf } from '@thads/kit';
import { casesDataSource } from '@thads/cases';
import { leafUnits, orgUnitsDataSource, seedUnits } from '@thads/org-units';
import { importFile } from './import';
import { migrateAll } from './migrate';

export interface ImportBench {
  events: number;
  importSeconds: number;
  importRate: number;
  copySeconds: number;
  copyRate: number;
}

/**
 * Imports a generated file of `cases` demo cases (with their money and complaints) through
 * the import path, and, as the baseline in the same run, COPYs the same number of rows
 * into an unindexed scratch table: the rate PostgreSQL itself allows on this machine.
 */
export async function benchImport(url: string, cases: number, log: (line: string) => void): Promise<ImportBench> {
  await migrateAll(url, () => {});
  const units = orgUnitsDataSource(url, 1);
  await units.initialize();
  const [{ n }] = (await units.query(`SELECT count(*)::int AS n FROM org_units.org_unit`)) as { n: number }[];
  const unitRows =
    n === 0
      ? (await seedUnits(units)).units
      : ((await units.query(
          `SELECT id, type, parent_id AS "parentId", valid_from::text AS "validFrom", valid_to::text AS "validTo" FROM org_units.org_unit`,
        )) as {
          id: number;
          type: string;
          parentId: number | null;
          validFrom: string;
          validTo: string | null;
        }[]);
  await units.destroy();
  const leaves: DemoLeaf[] = leafUnits(unitRows);
  // Fresh ids each run, far above seeded and server-assigned ones' ranges of collision.
  const offset = 3_000_000_000 + (Math.floor(Date.now() / 1000) % 1_000_000) * 10_000_000;
  const demo = [...generateDemoCases({ cases, leaves, seed: `bench-${offset}` })].flat().map((c) => ({ ...c, id: c.id + offset }));
  const { petitions, receptions } = generateDemoComplaints({ cases, leaves, seed: `bench-${offset}` });
  const lines = demoEventLines(
    demo,
    petitions.map((p) => ({ ...p, id: p.id + offset })),
    receptions,
  );
  const dir = mkdtempSync(join(tmpdir(), 'thads-bench-'));
  const file = join(dir, 'events.ndjson');
  writeFileSync(file, toNdjson(lines));
  log(`generated ${lines.length.toLocaleString('en')} events from ${demo.length.toLocaleString('en')} cases`);
  try {
    const imported = await importFile(url, file, log);
    const db = casesDataSource(url, 1);
    await db.initialize();
    const started = Date.now();
    await db.transaction(async (tx) => {
      await tx.query(`CREATE TEMP TABLE bench_copy (case_id bigint, unit_id int, kind text, occurred_on date, a bigint, b bigint, c bigint) ON COMMIT DROP`);
      const cols = ['case_id', 'unit_id', 'kind', 'occurred_on', 'a', 'b', 'c'].map((name) => ({ name, type: 'text' }));
      await copyRows(
        tx,
        'bench_copy',
        cols,
        lines.map((l, i) => [l.caseId ?? l.petitionId ?? i, l.unitId ?? 1, l.event, l.date, 0, 0, 0]),
      );
    });
    const copySeconds = (Date.now() - started) / 1000;
    await db.destroy();
    return {
      events: lines.length,
      importSeconds: imported.seconds,
      importRate: imported.perSecond,
      copySeconds,
      copyRate: Math.round(lines.length / copySeconds),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
