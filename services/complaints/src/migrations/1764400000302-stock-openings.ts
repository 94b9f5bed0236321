import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createOpeningsSql, dropOpeningsSql, type RollupSpec } from '@thads/kit';

/**
 * Stock openings per quarter (kit rollup/openings.ts): a rollup reads its period's months and
 * one opening row a unit instead of every month since the first. The specs are written out
 * here as they were when the tables were made; the services build the openings at start.
 */
const TABLES: RollupSpec[] = [
  { table: 'complaints.complaint_month', flows: [], stocks: ['pending_delta'] },
];

export class ComplaintStockOpenings1764400000302 implements MigrationInterface {
  name = 'ComplaintStockOpenings1764400000302';

  async up(q: QueryRunner): Promise<void> {
    for (const spec of TABLES) for (const sql of createOpeningsSql(spec)) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const spec of TABLES) for (const sql of dropOpeningsSql(spec)) await q.query(sql);
  }
}
