import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Money events are written only by the money writer, which creates or locks their case in
 * the same transaction; the per-row foreign-key check cost a third of an import's time.
 */
export class DropMoneyEventFk1764400000202 implements MigrationInterface {
  name = 'DropMoneyEventFk1764400000202';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE finances.money_event DROP CONSTRAINT IF EXISTS money_event_case_id_fkey`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE finances.money_event ADD CONSTRAINT money_event_case_id_fkey FOREIGN KEY (case_id) REFERENCES finances.case_money(case_id)`);
  }
}
