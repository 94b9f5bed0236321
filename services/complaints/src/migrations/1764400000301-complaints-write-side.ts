import type { MigrationInterface, QueryRunner } from 'typeorm';
import { idempotencyTableSql, outboxTableSql } from '@thads/kit';

export class ComplaintsWriteSide1764400000301 implements MigrationInterface {
  name = 'ComplaintsWriteSide1764400000301';

  async up(q: QueryRunner): Promise<void> {
    await q.query(idempotencyTableSql('complaints'));
    await q.query(outboxTableSql('complaints'));
    await q.query(`CREATE SEQUENCE complaints.petition_id_seq START WITH 1000000000`);
    await q.query(`CREATE SEQUENCE complaints.reception_id_seq START WITH 1000000000`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SEQUENCE complaints.reception_id_seq`);
    await q.query(`DROP SEQUENCE complaints.petition_id_seq`);
    await q.query(`DROP TABLE complaints.outbox`);
    await q.query(`DROP TABLE complaints.idempotency`);
  }
}
