/**
 * The shape every figure of the hub has: per unit, month and bucket, a row of deltas (the
 * service's month table, written by its writers, rebuilt from its raw facts), and above it
 * the maintained rollup: the same rows summed over the units each unit covers, one copy a
 * hierarchy epoch. A spec names the month table and its columns; every other table, and
 * every statement on them, is derived from it.
 */
export interface RollupSpec {
  /** The month table, `schema.name`, keyed by (unit_id, month, bucket). */
  table: string;
  /** Columns summed over a period's months. */
  flows: readonly string[];
  /** Delta columns whose running sum is a stock: read at the period's start and end. */
  stocks: readonly string[];
  /**
   * A SELECT of the month rows recomputed from the raw facts: `unit_id, month, bucket` and
   * every column of the spec by name. `hub rebuild` writes it, `hub verify` compares with it.
   */
  facts?: string;
  /**
   * SQL type of the value columns. `bigint` (the default) for counts; `numeric` for money,
   * whose totals over every event of a month or a nation no fixed width bounds.
   */
  valueType?: 'bigint' | 'numeric';
}

/** Which units count towards which, per date: owned and rebuilt by org-units. */
export const ROLLUP_EDGE_TABLE = 'org_units.rollup_edge';
/** The intervals in which every unit covers the same units (org-units, from the edges). */
export const ROLLUP_EPOCH_TABLE = 'org_units.rollup_epoch';
/**
 * Where a unit's deltas go (org-units, from the edges and epochs): one row a covering unit and
 * epoch, or one row with the epoch `ALL_EPOCHS` for an edge that holds in every epoch.
 */
export const ROLLUP_FAN_OUT_TABLE = 'org_units.rollup_fan_out';
/**
 * The epoch key of rollup rows that count in every epoch: a unit's own months, its nation's,
 * the parents it never changed. Kept once instead of once an epoch, so a write fans out to
 * fewer rows; a read adds them to its epoch's.
 */
export const ALL_EPOCHS = '-infinity';
/** The maintained rollups of every service: org-units sums them again when it rebuilds the edges. */
export const ROLLUP_REGISTRY_TABLE = 'org_units.rollup_registry';

const IDENT = /^[a-z_][a-z0-9_.]*$/;

export function checkIdent(name: string): string {
  if (!IDENT.test(name)) throw new Error(`not a safe SQL identifier: ${name}`);
  return name;
}

/** Every value column of the spec, flows first. */
export function valueColumns(spec: RollupSpec): string[] {
  return [...spec.flows, ...spec.stocks].map(checkIdent);
}

/** The SQL type of the spec's value columns (and of the arrays a write sends them in). */
export function valueType(spec: Pick<RollupSpec, 'valueType'>): 'bigint' | 'numeric' {
  return spec.valueType === 'numeric' ? 'numeric' : 'bigint';
}

/** The maintained rollup: (epoch, unit_id, bucket, month) → the month's deltas of everything the unit covers in that epoch. */
export function rollupTable(spec: RollupSpec): string {
  return checkIdent(`${spec.table}_rollup`);
}

/** The schema of the spec's tables. */
export function schemaOf(spec: RollupSpec): string {
  return checkIdent(spec.table.split('.')[0]!);
}

/** The unqualified name of a table. */
export function bareName(table: string): string {
  return table.split('.').pop()!;
}
