import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOrgUnits1764400000000 implements MigrationInterface {
  name = 'CreateOrgUnits1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE org_units.org_unit (
      id int PRIMARY KEY,
      code text NOT NULL,
      name text NOT NULL,
      name_folded text NOT NULL,
      type text NOT NULL CHECK (type IN ('MINISTRY', 'PROVINCE', 'DISTRICT', 'WARD')),
      ward_kind text CHECK (ward_kind IN ('COMMUNE', 'WARD', 'SPECIAL_ZONE')),
      parent_id int REFERENCES org_units.org_unit(id),
      valid_from date NOT NULL,
      valid_to date,
      CHECK (valid_to IS NULL OR valid_to > valid_from)
    )`);
    await q.query(`CREATE INDEX org_unit_parent ON org_units.org_unit (parent_id)`);
    await q.query(`CREATE INDEX org_unit_type ON org_units.org_unit (type, valid_from)`);
    await q.query(`CREATE UNIQUE INDEX org_unit_code_from ON org_units.org_unit (code, valid_from)`);
    await q.query(`CREATE TABLE org_units.lineage (
      id serial PRIMARY KEY,
      from_unit_id int NOT NULL REFERENCES org_units.org_unit(id),
      to_unit_id int NOT NULL REFERENCES org_units.org_unit(id),
      kind text NOT NULL CHECK (kind IN ('MERGED_INTO', 'SPLIT_FROM', 'RENAMED', 'CONTINUED_AS')),
      effective_on date NOT NULL
    )`);
    await q.query(`CREATE INDEX lineage_from ON org_units.lineage (from_unit_id)`);
    await q.query(`CREATE INDEX lineage_to ON org_units.lineage (to_unit_id)`);
    // Read by the services that roll figures up (see kit's ROLLUP_EDGE_TABLE).
    await q.query(`CREATE TABLE org_units.rollup_edge (
      ancestor_id int NOT NULL,
      descendant_id int NOT NULL,
      valid_from date NOT NULL,
      valid_to date NOT NULL,
      PRIMARY KEY (ancestor_id, valid_from, descendant_id)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE org_units.rollup_edge`);
    await q.query(`DROP TABLE org_units.lineage`);
    await q.query(`DROP TABLE org_units.org_unit`);
  }
}
