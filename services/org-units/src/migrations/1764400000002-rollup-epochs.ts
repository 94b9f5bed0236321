import type { MigrationInterface, QueryRunner } from 'typeorm';
import { refreshRollupEpochs } from '../hierarchy/rollup-epochs';

/**
 * The hierarchy's epochs: the intervals between the validity boundaries of the rollup edges,
 * in each of which every unit covers the same units. The services keep their rollups per
 * epoch, so a read of any date is a lookup. The registry lists those rollups (each service's
 * migration adds its own): a rebuild of the edges sums them again in the same transaction.
 */
export class RollupEpochs1764400000002 implements MigrationInterface {
  name = 'RollupEpochs1764400000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE org_units.rollup_epoch (
      valid_from date PRIMARY KEY,
      valid_to date NOT NULL,
      CHECK (valid_to > valid_from)
    )`);
    await q.query(`CREATE TABLE org_units.rollup_registry (
      rollup_table text PRIMARY KEY,
      spec jsonb NOT NULL,
      built_at timestamptz
    )`);
    await refreshRollupEpochs(q);
    // A write fans out from a unit to the units that cover it: by descendant, not ancestor.
    await q.query(`CREATE INDEX rollup_edge_descendant ON org_units.rollup_edge (descendant_id, valid_from)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX org_units.rollup_edge_descendant`);
    await q.query(`DROP TABLE org_units.rollup_registry`);
    await q.query(`DROP TABLE org_units.rollup_epoch`);
  }
}
