import type { DataSource, EntityManager, MigrationInterface, QueryRunner } from 'typeorm';
import type { Logger } from 'pino';
import { readQuery } from '../db/read-pool';
import { todayInVietnam, type LocalDate } from '../time/local-date';
import type { RollupSpec } from './rollup-query';

/**
 * Stock openings: for an aggregate table of monthly deltas, the running sum of each stock
 * column over every month before a quarter's first day, per (unit, bucket). A stock at a date
 * is the opening of the latest built quarter at or before it plus the months since, so a
 * rollup reads the months of its period (and back to that quarter) instead of the whole
 * history: its cost follows the period's length, not the years kept online.
 *
 * `<table>_opening` holds the sums, `<table>_opening_built` the quarters whose sums are
 * complete; a rollup uses only built quarters. Every write adds its stock deltas to the
 * openings of built quarters after its month (`openingDeltasSql`), and `buildOpening` takes
 * the table's SHARE ROW EXCLUSIVE lock, so no write falls between the sums and the mark.
 */
export function openingTable(spec: RollupSpec): string {
  return `${spec.table}_opening`;
}

export function openingBuiltTable(spec: RollupSpec): string {
  return `${spec.table}_opening_built`;
}

/** The aggregate table's (month, bucket) index, made with the openings. */
function byMonthIndex(spec: RollupSpec): string {
  return `${spec.table}_by_month`;
}

/** The two tables of a spec's openings (for a migration). */
export function createOpeningsSql(spec: RollupSpec): string[] {
  return [
    `CREATE TABLE ${openingTable(spec)} (
      unit_id int NOT NULL,
      month date NOT NULL,
      bucket smallint NOT NULL,
      ${spec.stocks.map((c) => `${c} bigint NOT NULL DEFAULT 0`).join(',\n      ')},
      PRIMARY KEY (month, bucket, unit_id)
    )`,
    `CREATE TABLE ${openingBuiltTable(spec)} (month date PRIMARY KEY, built_at timestamptz NOT NULL DEFAULT now())`,
    // A rollup of many units reads the period's months of every unit: by month, not unit by unit.
    `CREATE INDEX ${byMonthIndex(spec).split('.').pop()} ON ${spec.table} (month, bucket)`,
  ];
}

export function dropOpeningsSql(spec: RollupSpec): string[] {
  return [`DROP INDEX ${byMonthIndex(spec)}`, `DROP TABLE ${openingBuiltTable(spec)}`, `DROP TABLE ${openingTable(spec)}`];
}

/** Built quarters per database and table, read again after a minute. */
const builtCache = new WeakMap<DataSource, Map<string, { months: LocalDate[]; readAt: number }>>();
const BUILT_TTL_MS = 60_000;

/**
 * The latest built quarter at or before `firstMonth`, from a list read at most a minute ago:
 * a quarter built since is used a minute later, and one dropped since is caught by the
 * rollup statement itself (it then reads the months before it), so the list never makes a
 * figure wrong. Undefined when none is built that early.
 */
export async function latestOpening(db: DataSource, spec: RollupSpec, firstMonth: LocalDate): Promise<LocalDate | undefined> {
  let perTable = builtCache.get(db);
  if (!perTable) builtCache.set(db, (perTable = new Map()));
  let entry = perTable.get(spec.table);
  if (!entry || Date.now() - entry.readAt > BUILT_TTL_MS) {
    const rows = await readQuery<{ month: string }>(db, `SELECT to_char(month, 'YYYY-MM-DD') AS month FROM ${openingBuiltTable(spec)} ORDER BY month`, []);
    entry = { months: rows.map((r) => r.month), readAt: Date.now() };
    perTable.set(spec.table, entry);
  }
  let found: LocalDate | undefined;
  for (const m of entry.months) if (m <= firstMonth) found = m;
  return found;
}

const deltasSql = new WeakMap<RollupSpec, string>();

/**
 * The statement a write sends after adding its deltas to the month rows: its stock deltas
 * go to the openings of every built quarter after their month (none for a write in the
 * current quarter). Parameters: unit ids, months, buckets, then one numeric[] a stock column.
 * Built once a spec: every write sends it.
 */
export function openingDeltasSql(spec: RollupSpec): string {
  let sql = deltasSql.get(spec);
  if (!sql) deltasSql.set(spec, (sql = buildOpeningDeltasSql(spec)));
  return sql;
}

function buildOpeningDeltasSql(spec: RollupSpec): string {
  const cols = spec.stocks;
  // Deltas of several months before one quarter meet in one opening row: summed first (and
  // taken in key order, as the month rows are, so that two writers lock them in one order).
  return `INSERT INTO ${openingTable(spec)} AS o (unit_id, month, bucket, ${cols.join(', ')})
     SELECT d.unit_id, b.month, d.bucket, ${cols.map((c) => `sum(d.${c})`).join(', ')}
     FROM unnest($1::int[], $2::date[], $3::smallint[], ${cols.map((_c, i) => `$${i + 4}::numeric[]`).join(', ')}) AS d(unit_id, month, bucket, ${cols.join(', ')})
     JOIN ${openingBuiltTable(spec)} b ON b.month > d.month
     WHERE ${cols.map((c) => `d.${c} <> 0`).join(' OR ')}
     GROUP BY d.unit_id, b.month, d.bucket
     ORDER BY d.unit_id, b.month, d.bucket
     ON CONFLICT (unit_id, month, bucket) DO UPDATE SET ${cols.map((c) => `${c} = o.${c} + EXCLUDED.${c}`).join(', ')}`;
}

/**
 * The migration that makes the openings of some aggregate tables: a service's migration
 * extends it with its `name` and the specs written out as they were when the tables were made
 * (the services build the openings themselves, at start).
 */
export abstract class OpeningsMigration implements MigrationInterface {
  abstract name: string;
  protected abstract tables: readonly RollupSpec[];

  async up(q: QueryRunner): Promise<void> {
    for (const spec of this.tables) for (const sql of createOpeningsSql(spec)) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const spec of this.tables) for (const sql of dropOpeningsSql(spec)) await q.query(sql);
  }
}

type Db = DataSource | EntityManager;

/**
 * Builds the openings of the quarter starting on `month` unless built: sums every month
 * before it, under a lock that makes writers wait (a few hundred ms at most, once a quarter).
 */
export async function buildOpening(db: Db, spec: RollupSpec, month: LocalDate): Promise<boolean> {
  const run = async (tx: EntityManager): Promise<boolean> => {
    await tx.query(`LOCK TABLE ${spec.table} IN SHARE ROW EXCLUSIVE MODE`);
    const built = await tx.query(`SELECT 1 FROM ${openingBuiltTable(spec)} WHERE month = $1::date`, [month]);
    if (built.length > 0) return false;
    await tx.query(
      `INSERT INTO ${openingTable(spec)} (unit_id, month, bucket, ${spec.stocks.join(', ')})
       SELECT unit_id, $1::date, bucket, ${spec.stocks.map((c) => `sum(${c})`).join(', ')}
       FROM ${spec.table} WHERE month < $1::date GROUP BY unit_id, bucket`,
      [month],
    );
    await tx.query(`INSERT INTO ${openingBuiltTable(spec)} (month) VALUES ($1::date)`, [month]);
    return true;
  };
  if ('manager' in db) return db.transaction(run); // a DataSource
  return db.queryRunner?.isTransactionActive ? run(db) : db.transaction(run);
}

/** Quarter starts after the table's first month, up to the quarter of `today`, not built yet. */
async function missingQuarters(db: Db, spec: RollupSpec, today: LocalDate): Promise<LocalDate[]> {
  const rows: { month: string }[] = await db.query(
    `SELECT to_char(q, 'YYYY-MM-DD') AS month
     FROM (SELECT min(month) AS first FROM ${spec.table}) t,
          generate_series(date_trunc('quarter', t.first) + interval '3 months', date_trunc('quarter', $1::date), interval '3 months') AS q
     WHERE NOT EXISTS (SELECT 1 FROM ${openingBuiltTable(spec)} b WHERE b.month = q::date)
     ORDER BY q`,
    [today],
  );
  return rows.map((r) => r.month);
}

/** Builds every missing quarter's openings, oldest first; returns the quarters built. */
export async function ensureOpenings(db: Db, spec: RollupSpec, today: LocalDate = todayInVietnam()): Promise<LocalDate[]> {
  const built: LocalDate[] = [];
  for (const month of await missingQuarters(db, spec, today)) if (await buildOpening(db, spec, month)) built.push(month);
  // Fresh statistics at once: without them the planner takes a new table for a few rows and
  // joins it row by row (a 34-province rollup took 1 s instead of 30 ms).
  if (built.length > 0) await db.query(`ANALYZE ${openingTable(spec)}, ${openingBuiltTable(spec)}`);
  return built;
}

/** Drops and builds again every opening (after the month rows were rebuilt wholesale). */
export async function rebuildOpenings(db: Db, spec: RollupSpec, today: LocalDate = todayInVietnam()): Promise<LocalDate[]> {
  await db.query(`DELETE FROM ${openingBuiltTable(spec)}`);
  await db.query(`DELETE FROM ${openingTable(spec)}`);
  return ensureOpenings(db, spec, today);
}

/**
 * Keeps a service's openings current: builds what is missing now, then checks again every
 * `everyMs` (a new quarter begins; a replica may have built it already). Returns the stop.
 */
export function keepOpenings(db: DataSource, specs: readonly RollupSpec[], logger: Logger, everyMs = 3_600_000): () => void {
  let running: Promise<void> | undefined;
  const check = () => {
    running ??= (async () => {
      for (const spec of specs) {
        try {
          const built = await ensureOpenings(db, spec);
          if (built.length > 0) logger.info({ table: spec.table, quarters: built.length, from: built[0], to: built[built.length - 1] }, 'stock openings built');
        } catch (err) {
          logger.warn({ err, table: spec.table }, 'stock openings not built (rollups read the whole history meanwhile); will try again');
        }
      }
    })().finally(() => (running = undefined));
  };
  check();
  const timer = setInterval(check, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
