import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateReportingClose1764400000001 implements MigrationInterface {
  name = 'CreateReportingClose1764400000001';

  async up(q: QueryRunner): Promise<void> {
    // The reporting calendar: every date up to closed_through belongs to a closed period.
    // The services that record events read it (kit's checkUnitsOnDates).
    await q.query(`CREATE TABLE org_units.reporting_close (
      closed_through date PRIMARY KEY,
      closed_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE org_units.reporting_close`);
  }
}
