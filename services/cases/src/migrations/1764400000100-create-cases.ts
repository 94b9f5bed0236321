import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCases1764400000100 implements MigrationInterface {
  name = 'CreateCases1764400000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE cases.enforcement_case (
      id bigint PRIMARY KEY,
      unit_id int NOT NULL,
      judgment_ref text NOT NULL,
      received_on date NOT NULL,
      categories smallint NOT NULL DEFAULT 0,
      status text NOT NULL,
      enforceable boolean,
      status_on date NOT NULL
    )`);
    await q.query(`CREATE INDEX enforcement_case_unit ON cases.enforcement_case (unit_id)`);
    // Every event with the deltas it added: the aggregates can always be rebuilt from here.
    await q.query(`CREATE TABLE cases.case_event (
      id bigserial PRIMARY KEY,
      case_id bigint NOT NULL REFERENCES cases.enforcement_case(id),
      unit_id int NOT NULL,
      kind text NOT NULL,
      occurred_on date NOT NULL,
      d_open smallint NOT NULL,
      d_open_enforceable smallint NOT NULL
    )`);
    await q.query(`CREATE INDEX case_event_case ON cases.case_event (case_id)`);
    // Per unit, month and bucket (0 all cases, 1 state budget, 2 credit institutions, 3 corruption):
    // flows of the month and the deltas of the open stocks. Rollups read only this table.
    await q.query(`CREATE TABLE cases.case_month (
      unit_id int NOT NULL,
      month date NOT NULL,
      bucket smallint NOT NULL,
      received int NOT NULL DEFAULT 0,
      entrusted_out int NOT NULL DEFAULT 0,
      withdrawn int NOT NULL DEFAULT 0,
      done int NOT NULL DEFAULT 0,
      separate_book int NOT NULL DEFAULT 0,
      open_delta int NOT NULL DEFAULT 0,
      open_enforceable_delta int NOT NULL DEFAULT 0,
      PRIMARY KEY (unit_id, month, bucket)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE cases.case_month`);
    await q.query(`DROP TABLE cases.case_event`);
    await q.query(`DROP TABLE cases.enforcement_case`);
  }
}
