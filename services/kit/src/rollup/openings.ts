import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { readQuery } from '../db/read-pool';
import { todayInVietnam, type LocalDate } from '../time/local-date';
import { ROLLUP_FAN_OUT_TABLE, rollupTable, valueType, type RollupSpec } from './rollup-spec';

/**
 * Stock openings of a maintained rollup: per (epoch, unit, bucket), the running sum of each
 * stock column over every month before a quarter's first day. A stock at a date is the
 * opening of the latest built quarter at or before it plus the months since, so a read
 * takes a handful of rows a unit, whatever the years of history kept online.
 *
 * `<rollup>_opening` holds the sums, `<rollup>_opening_built` the quarters whose sums are
 * complete; a read uses only built quarters. Every write adds its stock deltas to the
 * openings of built quarters after its month (`openingDeltasSql`), and `buildOpening` takes
 * the rollup's SHARE ROW EXCLUSIVE lock, so no write falls between the sums and the mark.
 */
export function openingTable(spec: RollupSpec): string {
  return `${rollupTable(spec)}_opening`;
}

export function openingBuiltTable(spec: RollupSpec): string {
  return `${rollupTable(spec)}_opening_built`;
}

/** The two tables of a spec's openings (for a migration). */
export function createOpeningsSql(spec: RollupSpec): string[] {
  return [
    `CREATE TABLE ${openingTable(spec)} (
      epoch date NOT NULL,
      unit_id int NOT NULL,
      bucket smallint NOT NULL,
      month date NOT NULL,
      ${spec.stocks.map((c) => `${c} ${valueType(spec)} NOT NULL DEFAULT 0`).join(',\n      ')},
      PRIMARY KEY (epoch, unit_id, bucket, month)
    )`,
    `CREATE TABLE ${openingBuiltTable(spec)} (month date PRIMARY KEY, built_at timestamptz NOT NULL DEFAULT now())`,
  ];
}

export function dropOpeningsSql(spec: RollupSpec): string[] {
  return [`DROP TABLE ${openingBuiltTable(spec)}`, `DROP TABLE ${openingTable(spec)}`];
}

/** Built quarters per database and table, read again after a minute. */
const builtCache = new WeakMap<DataSource, Map<string, { months: LocalDate[]; readAt: number }>>();
const BUILT_TTL_MS = 60_000;

/**
 * The latest built quarter at or before `firstMonth`, from a list read at most a minute ago:
 * a quarter built since is used a minute later, and one dropped since is caught by the read
 * statement itself (it then reads the months before it), so the list never makes a figure
 * wrong. Undefined when none is built that early.
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

/** Forgets the built quarters read (after a rebuild in this process). */
export function forgetBuiltOpenings(db: DataSource): void {
  builtCache.delete(db);
}

const deltasSql = new WeakMap<RollupSpec, string>();

/**
 * The statement a write sends after its rollup rows: the stock deltas of its units' months go,
 * through the rollup edges of every epoch, to the openings of every built quarter after their
 * month (nothing for a write in the current quarter). Parameters: unit ids, months, buckets,
 * then one array a stock column (of the spec's valueType), as `addMonthDeltas` sends them.
 * Built once a spec.
 */
export function openingDeltasSql(spec: RollupSpec): string {
  let sql = deltasSql.get(spec);
  if (!sql) deltasSql.set(spec, (sql = buildOpeningDeltasSql(spec)));
  return sql;
}

function buildOpeningDeltasSql(spec: RollupSpec): string {
  const cols = spec.stocks;
  // Summed per opening row first, and taken in key order (as the rollup rows are) so that
  // two writers lock them in one order.
  return `INSERT INTO ${openingTable(spec)} AS o (epoch, unit_id, bucket, month, ${cols.join(', ')})
     SELECT e.epoch, e.ancestor_id, d.bucket, b.month, ${cols.map((c) => `sum(d.${c})`).join(', ')}
     FROM unnest($1::int[], $2::date[], $3::smallint[], ${cols.map((_c, i) => `$${i + 4}::${valueType(spec)}[]`).join(', ')}) AS d(unit_id, month, bucket, ${cols.join(', ')})
     JOIN ${openingBuiltTable(spec)} b ON b.month > d.month
     JOIN ${ROLLUP_FAN_OUT_TABLE} e ON e.descendant_id = d.unit_id
     WHERE ${cols.map((c) => `d.${c} <> 0`).join(' OR ')}
     GROUP BY 1, 2, 3, 4
     ORDER BY 1, 2, 3, 4
     ON CONFLICT (epoch, unit_id, bucket, month) DO UPDATE SET ${cols.map((c) => `${c} = o.${c} + EXCLUDED.${c}`).join(', ')}`;
}

type Db = DataSource | EntityManager;

/** Runs `work` in the caller's transaction, or in a new one. */
export function inTransaction<T>(db: Db, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  if ('manager' in db) return db.transaction(work); // a DataSource
  return db.queryRunner?.isTransactionActive ? work(db) : db.transaction(work);
}

/**
 * Builds the openings of the quarter starting on `month` unless built: sums every month
 * before it, under a lock that makes writers wait (a few hundred ms at most, once a quarter).
 */
export async function buildOpening(db: Db, spec: RollupSpec, month: LocalDate): Promise<boolean> {
  return inTransaction(db, async (tx) => {
    await tx.query(`LOCK TABLE ${rollupTable(spec)} IN SHARE ROW EXCLUSIVE MODE`);
    const built = await tx.query(`SELECT 1 FROM ${openingBuiltTable(spec)} WHERE month = $1::date`, [month]);
    if (built.length > 0) return false;
    await tx.query(
      `INSERT INTO ${openingTable(spec)} (epoch, unit_id, bucket, month, ${spec.stocks.join(', ')})
       SELECT epoch, unit_id, bucket, $1::date, ${spec.stocks.map((c) => `sum(${c})`).join(', ')}
       FROM ${rollupTable(spec)} WHERE month < $1::date GROUP BY epoch, unit_id, bucket`,
      [month],
    );
    await tx.query(`INSERT INTO ${openingBuiltTable(spec)} (month) VALUES ($1::date)`, [month]);
    return true;
  });
}

/** Quarter starts after the rollup's first month, up to the quarter of `today`, not built yet. */
async function missingQuarters(db: Db, spec: RollupSpec, today: LocalDate): Promise<LocalDate[]> {
  const rows: { month: string }[] = await db.query(
    `SELECT to_char(q, 'YYYY-MM-DD') AS month
     FROM (SELECT min(month) AS first FROM ${rollupTable(spec)}) t,
          generate_series(date_trunc('quarter', t.first) + interval '3 months', date_trunc('quarter', $1::date), interval '3 months') AS q
     WHERE NOT EXISTS (SELECT 1 FROM ${openingBuiltTable(spec)} b WHERE b.month = q::date)
     ORDER BY q`,
    [today],
  );
  return rows.map((r) => r.month);
}

/** Builds every missing quarter's openings, oldest first; returns the quarters built. */
export async function ensureOpenings(db: Db, spec: RollupSpec, today: LocalDate = todayInVietnam()): Promise<LocalDate[]> {
  if (spec.stocks.length === 0) return [];
  const built: LocalDate[] = [];
  for (const month of await missingQuarters(db, spec, today)) if (await buildOpening(db, spec, month)) built.push(month);
  if (built.length > 0) {
    // Fresh statistics at once: without them the planner takes a new table for a few rows and
    // joins it row by row.
    await db.query(`ANALYZE ${openingTable(spec)}, ${openingBuiltTable(spec)}`);
    forgetBuiltOpenings('manager' in db ? db : db.connection);
  }
  return built;
}

/** Drops and builds again every opening (after the rollup rows were rebuilt wholesale). */
export async function rebuildOpenings(db: Db, spec: RollupSpec, today: LocalDate = todayInVietnam()): Promise<LocalDate[]> {
  if (spec.stocks.length === 0) return [];
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
          if (built.length > 0)
            logger.info({ table: rollupTable(spec), quarters: built.length, from: built[0], to: built[built.length - 1] }, 'stock openings built');
        } catch (err) {
          logger.warn({ err, table: rollupTable(spec) }, 'stock openings not built (reads sum the months meanwhile); will try again');
        }
      }
    })().finally(() => (running = undefined));
  };
  check();
  const timer = setInterval(check, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
