import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createOpeningsSql, dropOpeningsSql, type RollupSpec } from '@thads/kit';

/**
 * Stock openings per quarter (kit rollup/openings.ts): a rollup reads its period's months and
 * one opening row a unit instead of every month since the first. The specs are written out
 * here as they were when the tables were made; the services build the openings at start.
 */
const TABLES: RollupSpec[] = [
  { table: 'cases.case_month', flows: [], stocks: ['open_delta', 'open_enforceable_delta'] },
  { table: 'cases.admin_month', flows: [], stocks: ['open_delta', 'open_with_decision_delta'] },
];

export class CaseStockOpenings1764400000103 implements MigrationInterface {
  name = 'CaseStockOpenings1764400000103';

  async up(q: QueryRunner): Promise<void> {
    for (const spec of TABLES) for (const sql of createOpeningsSql(spec)) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const spec of TABLES) for (const sql of dropOpeningsSql(spec)) await q.query(sql);
  }
}
