import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateFinances1764400000200 implements MigrationInterface {
  name = 'CreateFinances1764400000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE finances.case_money (
      case_id bigint PRIMARY KEY,
      unit_id int NOT NULL,
      categories smallint NOT NULL DEFAULT 0,
      amount bigint NOT NULL CHECK (amount >= 0),
      remaining bigint NOT NULL CHECK (remaining >= 0),
      open boolean NOT NULL,
      enforceable boolean NOT NULL,
      received_on date NOT NULL
    )`);
    await q.query(`CREATE INDEX case_money_unit ON finances.case_money (unit_id)`);
    await q.query(`CREATE TABLE finances.money_event (
      id bigserial PRIMARY KEY,
      case_id bigint NOT NULL REFERENCES finances.case_money(case_id),
      unit_id int NOT NULL,
      kind text NOT NULL,
      occurred_on date NOT NULL,
      flow bigint NOT NULL,
      d_open bigint NOT NULL,
      d_open_enforceable bigint NOT NULL
    )`);
    await q.query(`CREATE INDEX money_event_case ON finances.money_event (case_id)`);
    // Per unit, month and bucket (0 all, 1 state budget, 2 credit institutions, 3 corruption), VND.
    await q.query(`CREATE TABLE finances.money_month (
      unit_id int NOT NULL,
      month date NOT NULL,
      bucket smallint NOT NULL,
      received bigint NOT NULL DEFAULT 0,
      entrusted_out bigint NOT NULL DEFAULT 0,
      withdrawn bigint NOT NULL DEFAULT 0,
      done bigint NOT NULL DEFAULT 0,
      collected bigint NOT NULL DEFAULT 0,
      separate_book bigint NOT NULL DEFAULT 0,
      open_delta bigint NOT NULL DEFAULT 0,
      open_enforceable_delta bigint NOT NULL DEFAULT 0,
      PRIMARY KEY (unit_id, month, bucket)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE finances.money_month`);
    await q.query(`DROP TABLE finances.money_event`);
    await q.query(`DROP TABLE finances.case_money`);
  }
}
