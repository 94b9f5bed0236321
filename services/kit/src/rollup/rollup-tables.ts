import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createLegacyOpeningsSql } from './legacy-openings.migration';
import { createOpeningsSql, dropOpeningsSql, openingBuiltTable, openingTable } from './openings';
import { rebuildRollup, registerRollup } from './rebuild';
import { ROLLUP_REGISTRY_TABLE, rollupTable, valueColumns, valueType, type RollupSpec } from './rollup-spec';

/**
 * The maintained rollup of a spec. `epoch` is the first day of a hierarchy epoch
 * ('-infinity' for the first); its rows hold, for each unit, the month's deltas of every
 * unit it covers in that epoch. Values are exact integers (the spec's valueType): a national
 * sum of money stays exact.
 */
export function createRollupSql(spec: RollupSpec): string[] {
  return [
    `CREATE TABLE ${rollupTable(spec)} (
      epoch date NOT NULL,
      unit_id int NOT NULL,
      bucket smallint NOT NULL,
      month date NOT NULL,
      ${valueColumns(spec)
        .map((c) => `${c} ${valueType(spec)} NOT NULL DEFAULT 0`)
        .join(',\n      ')},
      PRIMARY KEY (epoch, unit_id, bucket, month)
    )`,
    ...(spec.stocks.length ? createOpeningsSql(spec) : []),
  ];
}

export function dropRollupSql(spec: RollupSpec): string[] {
  return [
    ...(spec.stocks.length ? dropOpeningsSql(spec) : []),
    `DROP TABLE ${rollupTable(spec)}`,
    `DELETE FROM ${ROLLUP_REGISTRY_TABLE} WHERE rollup_table = '${rollupTable(spec)}'`,
  ];
}

/**
 * The migration that makes a service's maintained rollups, registers them with org-units (a
 * rebuild of the hierarchy sums them again) and sums them from its month rows (a database
 * with history gets them complete). It also drops what they replace: the stock
 * openings of the month tables and their by-month index. A service's migration extends it
 * with its `name` and its specs written out as they are when the tables are made.
 */
export abstract class RollupMigration implements MigrationInterface {
  abstract name: string;
  protected abstract tables: readonly RollupSpec[];
  /** Month tables whose openings (legacy-openings.migration.ts) the rollups replace. */
  protected replacesOpeningsOf: readonly string[] = [];

  async up(q: QueryRunner): Promise<void> {
    for (const table of this.replacesOpeningsOf) {
      await q.query(`DROP INDEX IF EXISTS ${table}_by_month`);
      await q.query(`DROP TABLE IF EXISTS ${table}_opening_built, ${table}_opening`);
    }
    for (const spec of this.tables) {
      for (const sql of createRollupSql(spec)) await q.query(sql);
      await registerRollup(q.manager, spec);
      await rebuildRollup(q.manager, spec);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const spec of this.tables) for (const sql of dropRollupSql(spec)) await q.query(sql);
    for (const table of this.replacesOpeningsOf) {
      const spec = this.tables.find((s) => s.table === table);
      for (const sql of createLegacyOpeningsSql({ table, stocks: spec?.stocks ?? [] })) await q.query(sql);
    }
  }
}

/** Every table a spec maintains from its facts: the month table, its rollup and the rollup's openings (for a TRUNCATE). */
export function maintainedTables(spec: RollupSpec): string[] {
  return [spec.table, rollupTable(spec), ...(spec.stocks.length ? [openingTable(spec), openingBuiltTable(spec)] : [])];
}
