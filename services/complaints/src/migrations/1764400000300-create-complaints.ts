import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateComplaints1764400000300 implements MigrationInterface {
  name = 'CreateComplaints1764400000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE complaints.petition (
      id bigint PRIMARY KEY,
      unit_id int NOT NULL,
      kind text NOT NULL CHECK (kind IN ('COMPLAINT', 'DENUNCIATION', 'REQUEST', 'RECOMMENDATION')),
      received_on date NOT NULL,
      resolved_on date,
      CHECK (resolved_on IS NULL OR resolved_on >= received_on)
    )`);
    await q.query(`CREATE INDEX petition_unit ON complaints.petition (unit_id)`);
    await q.query(`CREATE TABLE complaints.citizen_reception (
      id bigint PRIMARY KEY,
      unit_id int NOT NULL,
      received_on date NOT NULL,
      citizens int NOT NULL CHECK (citizens > 0)
    )`);
    // Per unit, month and bucket (0 all petitions, 1 complaints, 2 denunciations, 3 requests,
    // 4 recommendations); receptions are counted in bucket 0 only.
    await q.query(`CREATE TABLE complaints.complaint_month (
      unit_id int NOT NULL,
      month date NOT NULL,
      bucket smallint NOT NULL,
      received int NOT NULL DEFAULT 0,
      resolved int NOT NULL DEFAULT 0,
      pending_delta int NOT NULL DEFAULT 0,
      receptions int NOT NULL DEFAULT 0,
      citizens int NOT NULL DEFAULT 0,
      PRIMARY KEY (unit_id, month, bucket)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE complaints.complaint_month`);
    await q.query(`DROP TABLE complaints.citizen_reception`);
    await q.query(`DROP TABLE complaints.petition`);
  }
}
