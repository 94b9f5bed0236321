import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A month table as the stock-openings migrations of 2026-11 saw it. */
export interface MonthTable {
  table: string;
  stocks: readonly string[];
}

/** The legacy openings of one month table (empty: the build of the time filled them at its start). */
export function createLegacyOpeningsSql({ table, stocks }: MonthTable): string[] {
  return [
    `CREATE TABLE ${table}_opening (
      unit_id int NOT NULL,
      month date NOT NULL,
      bucket smallint NOT NULL,
      ${stocks.map((c) => `${c} bigint NOT NULL DEFAULT 0`).join(',\n      ')},
      PRIMARY KEY (month, bucket, unit_id)
    )`,
    `CREATE TABLE ${table}_opening_built (month date PRIMARY KEY, built_at timestamptz NOT NULL DEFAULT now())`,
    `CREATE INDEX ${table.split('.').pop()}_by_month ON ${table} (month, bucket)`,
  ];
}

/**
 * The stock openings of the month tables, as first made (quarterly running sums read by the
 * rollups of the time, which summed descendants at request time). The maintained rollups
 * replaced them (RollupMigration drops these tables): kept as it was, so that a new database
 * passes through the same migrations as an old one.
 */
export abstract class OpeningsMigration implements MigrationInterface {
  abstract name: string;
  protected abstract tables: readonly MonthTable[];

  async up(q: QueryRunner): Promise<void> {
    for (const table of this.tables) for (const sql of createLegacyOpeningsSql(table)) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const { table } of this.tables) {
      await q.query(`DROP INDEX ${table}_by_month`);
      await q.query(`DROP TABLE ${table}_opening_built`);
      await q.query(`DROP TABLE ${table}_opening`);
    }
  }
}
