import type { MigrationInterface, QueryRunner } from 'typeorm';
import { idempotencyTableSql, outboxTableSql } from '@thads/kit';

export class FinancesWriteSide1764400000201 implements MigrationInterface {
  name = 'FinancesWriteSide1764400000201';

  async up(q: QueryRunner): Promise<void> {
    await q.query(idempotencyTableSql('finances'));
    await q.query(outboxTableSql('finances'));
    // Targets per unit and statistical year; the ministry's row (unit 1) holds the national
    // targets set by the National Assembly. Read by the cases service for case achievement.
    await q.query(`CREATE TABLE finances.unit_target (
      unit_id int NOT NULL,
      year int NOT NULL,
      case_rate numeric(5, 2) NOT NULL CHECK (case_rate BETWEEN 0 AND 100),
      money_rate numeric(5, 2) NOT NULL CHECK (money_rate BETWEEN 0 AND 100),
      PRIMARY KEY (unit_id, year)
    )`);
    await q.query(`INSERT INTO finances.unit_target (unit_id, year, case_rate, money_rate) VALUES (1, 2024, 83.25, 46.45), (1, 2025, 83.90, 51.90)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE finances.unit_target`);
    await q.query(`DROP TABLE finances.outbox`);
    await q.query(`DROP TABLE finances.idempotency`);
  }
}
