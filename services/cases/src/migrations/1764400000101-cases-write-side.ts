import type { MigrationInterface, QueryRunner } from 'typeorm';
import { idempotencyTableSql, outboxTableSql } from '@thads/kit';

export class CasesWriteSide1764400000101 implements MigrationInterface {
  name = 'CasesWriteSide1764400000101';

  async up(q: QueryRunner): Promise<void> {
    // Server-assigned case ids start far above any imported or seeded id.
    await q.query(`CREATE SEQUENCE cases.case_id_seq START WITH 1000000000`);
    await q.query(idempotencyTableSql('cases'));
    await q.query(outboxTableSql('cases'));
    await q.query(`CREATE TABLE cases.admin_judgment (
      id bigint PRIMARY KEY,
      unit_id int NOT NULL,
      judgment_ref text NOT NULL,
      received_on date NOT NULL,
      decision_on date,
      completed_on date,
      CHECK (completed_on IS NULL OR completed_on >= received_on)
    )`);
    await q.query(`CREATE SEQUENCE cases.admin_judgment_id_seq START WITH 1000000000`);
    // Administrative judgments under monitoring, per unit and month (bucket 0 only).
    await q.query(`CREATE TABLE cases.admin_month (
      unit_id int NOT NULL,
      month date NOT NULL,
      bucket smallint NOT NULL DEFAULT 0,
      received int NOT NULL DEFAULT 0,
      completed int NOT NULL DEFAULT 0,
      open_delta int NOT NULL DEFAULT 0,
      open_with_decision_delta int NOT NULL DEFAULT 0,
      PRIMARY KEY (unit_id, month, bucket)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE cases.admin_month`);
    await q.query(`DROP SEQUENCE cases.admin_judgment_id_seq`);
    await q.query(`DROP TABLE cases.admin_judgment`);
    await q.query(`DROP TABLE cases.outbox`);
    await q.query(`DROP TABLE cases.idempotency`);
    await q.query(`DROP SEQUENCE cases.case_id_seq`);
  }
}
