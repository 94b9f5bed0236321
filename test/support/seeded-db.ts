import 'reflect-metadata';
import { generateDemoCases, generateDemoComplaints, migrate, type DemoCase, type DemoLeaf } from '@thads/kit';
import { casesDataSource, insertDemoCases, rebuildCaseAggregates } from '@thads/cases';
import { complaintsDataSource, insertDemoComplaints, rebuildComplaintAggregates } from '@thads/complaints';
import { financesDataSource, insertDemoMoney, rebuildMoneyAggregates } from '@thads/finances';
import { leafUnits, orgUnitsDataSource, seedUnits } from '@thads/org-units';
import type { DataSource } from 'typeorm';
import { TEST_IDENTITY_SECRET } from './auth';

/** Migrates one service's schema on a fresh connection and hands the connection over. */
export async function migrated(ds: DataSource): Promise<DataSource> {
  await ds.initialize();
  await migrate(ds);
  return ds;
}

/** Units and lineage seeded into a test database; the generated rows for brute-force checks. */
export async function seedTestUnits(url: string) {
  const db = await migrated(orgUnitsDataSource(url, 2));
  try {
    return await seedUnits(db);
  } finally {
    await db.destroy();
  }
}

/** A current province by code and the first unit under it, where the tests write. */
export function provinceAndWard(
  units: { id: number; code: string; parentId: number | null; validTo: string | null }[],
  code: string,
): { province: number; ward: number } {
  const province = units.find((u) => u.code === code && u.validTo === null)!.id;
  return { province, ward: units.find((u) => u.parentId === province)!.id };
}

/** Where the demo facts are recorded: the old communes before the reorganization, the wards after. */
export function leavesOf(units: { id: number; type: string; parentId: number | null; validFrom: string; validTo: string | null }[]): DemoLeaf[] {
  return leafUnits(units);
}

export function demoCases(leaves: DemoLeaf[], cases: number, seed: string): DemoCase[] {
  return [...generateDemoCases({ cases, leaves, seed })].flat();
}

export async function seedTestCases(url: string, cases: DemoCase[]): Promise<void> {
  const db = await migrated(casesDataSource(url, 2));
  try {
    await insertDemoCases(db, cases);
    await rebuildCaseAggregates(db);
  } finally {
    await db.destroy();
  }
}

export async function seedTestMoney(url: string, cases: DemoCase[]): Promise<void> {
  const db = await migrated(financesDataSource(url, 2));
  try {
    await insertDemoMoney(db, cases);
    await rebuildMoneyAggregates(db);
  } finally {
    await db.destroy();
  }
}

export async function seedTestComplaints(url: string, leaves: DemoLeaf[], cases: number, seed: string) {
  const generated = generateDemoComplaints({ cases, leaves, seed });
  const db = await migrated(complaintsDataSource(url, 2));
  try {
    await insertDemoComplaints(db, generated.petitions, generated.receptions);
    await rebuildComplaintAggregates(db);
  } finally {
    await db.destroy();
  }
  return generated;
}

export const TEST_CONFIG = (url: string, importDir = '/nonexistent') => ({
  PORT: 0,
  HOST: '127.0.0.1',
  DATABASE_URL: url,
  LOG_LEVEL: 'warn' as const,
  DB_POOL_SIZE: 4,
  IMPORT_DIR: importDir,
  IDENTITY_SECRET: TEST_IDENTITY_SECRET,
});
