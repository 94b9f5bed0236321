import type { MigrationInterface, QueryRunner } from 'typeorm';
import { rebuildRollup, registerRollup } from './rebuild';
import { checkIdent, rollupTable, valueType, type RollupSpec } from './rollup-spec';

/**
 * The migration that adds a flow to a maintained rollup: the column on the month table (filled
 * from the facts by `fill`, an UPDATE of the month rows) and on the rollup, the spec registered
 * again for the hierarchy's rebuilds, and the rollup summed again so that every epoch and
 * ancestor carries it. A service's migration extends it with its `name`, the spec as it is
 * after the change (written out), the new column and its type on the month table.
 */
export abstract class AddRollupFlowMigration implements MigrationInterface {
  abstract name: string;
  protected abstract spec: RollupSpec;
  protected abstract column: string;
  /** The type of the month table's column (its other flows' type). */
  protected abstract monthType: 'integer' | 'bigint' | 'numeric';
  /** Sets the new column of the month rows from the raw facts. */
  protected abstract fill: string;

  async up(q: QueryRunner): Promise<void> {
    const column = checkIdent(this.column);
    await q.query(`ALTER TABLE ${this.spec.table} ADD COLUMN ${column} ${this.monthType} NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE ${rollupTable(this.spec)} ADD COLUMN ${column} ${valueType(this.spec)} NOT NULL DEFAULT 0`);
    await q.query(this.fill);
    await registerRollup(q.manager, this.spec);
    await rebuildRollup(q.manager, this.spec);
  }

  async down(q: QueryRunner): Promise<void> {
    const column = checkIdent(this.column);
    await q.query(`ALTER TABLE ${rollupTable(this.spec)} DROP COLUMN ${column}`);
    await q.query(`ALTER TABLE ${this.spec.table} DROP COLUMN ${column}`);
    await registerRollup(q.manager, { ...this.spec, flows: this.spec.flows.filter((f) => f !== this.column) });
  }
}
