import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The VND sums of the finances aggregates, as the maintained rollup and its openings keep them. */
const TABLES: { table: string; columns: string[] }[] = [
  {
    table: 'finances.money_month',
    columns: ['received', 'entrusted_out', 'withdrawn', 'done', 'collected', 'separate_book', 'open_delta', 'open_enforceable_delta'],
  },
  {
    table: 'finances.money_month_rollup',
    columns: ['received', 'entrusted_out', 'withdrawn', 'done', 'collected', 'separate_book', 'open_delta', 'open_enforceable_delta'],
  },
  { table: 'finances.money_month_rollup_opening', columns: ['open_delta', 'open_enforceable_delta'] },
];

/**
 * Money aggregates become numeric: one event is bounded (MONEY_MAX_PER_EVENT_VND), but a month,
 * a province or the nation sums any number of them, and a bigint sum that overflowed made every
 * later write to its rows fail. A numeric sum of whole dong is exact at any total.
 */
export class NumericMoneyAggregates1764400000205 implements MigrationInterface {
  name = 'NumericMoneyAggregates1764400000205';

  async up(q: QueryRunner): Promise<void> {
    for (const { table, columns } of TABLES) {
      await q.query(`ALTER TABLE ${table} ${columns.map((c) => `ALTER COLUMN ${c} TYPE numeric`).join(', ')}`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const { table, columns } of TABLES) {
      await q.query(`ALTER TABLE ${table} ${columns.map((c) => `ALTER COLUMN ${c} TYPE bigint`).join(', ')}`);
    }
  }
}
