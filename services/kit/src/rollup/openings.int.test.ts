import { DataSource } from 'typeorm';
import { createTestDatabase, dropTestDatabase } from '../../../../test/support/test-db';
import { closeReadPool } from '../db/read-pool';
import { Prng } from '../util/prng';
import { addMonthDeltas, type MonthDelta } from '../write/month-deltas';
import { buildOpening, createOpeningsSql, ensureOpenings, latestOpening, openingTable, rebuildOpenings } from './openings';
import { buildRollupSql, queryRollup, type RollupSpec } from './rollup-query';
import type { Period } from '../time/period';

/**
 * Stock openings against the full-history sum on a real PostgreSQL: every period, unit and
 * hierarchy date must give the same figures with and without them, after back-dated writes,
 * writes racing a build, and a rebuild.
 */
describe('stock openings (real PostgreSQL)', () => {
  const spec: RollupSpec = { table: 't.m_month', flows: ['received', 'done'], stocks: ['open_delta', 'open_enforceable_delta'] };
  const columns = ['received', 'done', 'open_delta', 'open_enforceable_delta'];
  const TODAY = '2026-11-29';
  // National 1; provinces 10 and 20; wards 101–105 under 10 and 201–203 under 20, ward 105 moved to 20 on 2025-07-01.
  const WARDS = [101, 102, 103, 104, 105, 201, 202, 203];
  const UNITS = [1, 10, 20, ...WARDS];
  let url: string;
  let db: DataSource;
  const rng = new Prng(20261130);

  const monthsBetween = (from: string, to: string): string[] => {
    const out: string[] = [];
    for (let y = Number(from.slice(0, 4)), m = Number(from.slice(5, 7)); `${y}-${String(m).padStart(2, '0')}` <= to.slice(0, 7); m === 12 ? (y++, (m = 1)) : m++) {
      out.push(`${y}-${String(m).padStart(2, '0')}-01`);
    }
    return out;
  };
  const randomDeltas = (months: string[], n: number): MonthDelta[] =>
    Array.from({ length: n }, () => ({
      unitId: WARDS[rng.int(0, WARDS.length - 1)]!,
      month: months[rng.int(0, months.length - 1)]!,
      bucket: rng.int(0, 1),
      values: { received: rng.int(0, 5), done: rng.int(0, 3), open_delta: rng.int(-3, 5), open_enforceable_delta: rng.int(-2, 4) },
    }));
  const write = (deltas: MonthDelta[]) => db.transaction((tx) => addMonthDeltas(tx, spec, columns, deltas));
  const period = (firstMonth: string, lastMonth: string) => ({ firstMonth, lastMonth }) as Period;

  /** Every unit, for periods starting on and off quarter starts, on both hierarchies: openings = full history. */
  async function expectSameFigures(): Promise<number> {
    const firsts = ['2023-01-01', '2023-02-01', '2023-04-01', '2024-05-01', '2024-10-01', '2025-07-01', '2025-08-01', '2026-10-01', '2026-11-01'];
    let compared = 0;
    for (const first of firsts) {
      for (const last of ['2026-11-01', '2026-12-01', first]) {
        if (last < first) continue;
        for (const asOf of ['2025-06-30', TODAY]) {
          const params = [UNITS, first, last, asOf, [0, 1]];
          const sorted = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(r)).sort();
          const full = await db.query(buildRollupSql(spec, { openings: false }), params);
          expect(full.length).toBeGreaterThan(0);
          const [{ latest }] = await db.query(`SELECT max(month)::text AS latest FROM t.m_month_opening_built WHERE month <= $1`, [first]);
          // The latest built quarter, and one that is not built (a stale choice): the same figures.
          for (const opening of [latest, '2022-07-01', first]) {
            if (!opening) continue;
            expect(sorted(await db.query(buildRollupSql(spec, { openings: true }), [...params, opening]))).toEqual(sorted(full));
          }
          // What the services run: the quarter from the cached list of built ones.
          const viaLoader = await queryRollup(db, spec, UNITS, period(first, last), asOf, [0, 1]);
          for (const r of full) {
            const row = viaLoader.get(r.unit_id)!.get(r.bucket)!;
            for (const k of Object.keys(row)) expect(String(row[k])).toBe(r[k]);
          }
          compared++;
        }
      }
    }
    return compared;
  }

  beforeAll(async () => {
    url = await createTestDatabase('openings');
    db = new DataSource({ type: 'postgres', url });
    await db.initialize();
    await db.query('CREATE SCHEMA org_units');
    await db.query('CREATE TABLE org_units.rollup_edge (ancestor_id int, descendant_id int, valid_from date, valid_to date, PRIMARY KEY (ancestor_id, valid_from, descendant_id))');
    const edges: [number, number, string, string][] = [];
    const always = (a: number, d: number) => edges.push([a, d, '2000-01-01', '9999-12-31']);
    for (const u of UNITS) always(1, u);
    for (const u of [10, 101, 102, 103, 104]) always(10, u);
    for (const u of [20, 201, 202, 203]) always(20, u);
    for (const w of WARDS) always(w, w);
    edges.push([10, 105, '2000-01-01', '2025-07-01'], [20, 105, '2025-07-01', '9999-12-31']);
    for (const e of edges) await db.query('INSERT INTO org_units.rollup_edge VALUES ($1, $2, $3, $4)', e);
    await db.query('CREATE SCHEMA t');
    await db.query(`CREATE TABLE t.m_month (unit_id int NOT NULL, month date NOT NULL, bucket smallint NOT NULL,
      received int NOT NULL DEFAULT 0, done int NOT NULL DEFAULT 0, open_delta int NOT NULL DEFAULT 0, open_enforceable_delta int NOT NULL DEFAULT 0,
      PRIMARY KEY (unit_id, month, bucket))`);
    for (const sql of createOpeningsSql(spec)) await db.query(sql);
    await write(randomDeltas(monthsBetween('2023-01-01', '2026-11-01'), 600));
  });
  afterAll(async () => {
    await closeReadPool(db);
    await db.destroy();
    await dropTestDatabase(url);
  });

  it('builds every quarter after the first month up to the current one, once', async () => {
    const built = await ensureOpenings(db, spec, TODAY);
    expect(built[0]).toBe('2023-04-01');
    expect(built[built.length - 1]).toBe('2026-10-01');
    expect(built).toHaveLength(15);
    expect(await ensureOpenings(db, spec, TODAY)).toEqual([]);
    expect(await buildOpening(db, spec, '2026-10-01')).toBe(false);
    // An opening is the sum of every month before its quarter.
    const [o] = await db.query(`SELECT sum(open_delta)::int AS s FROM ${openingTable(spec)} WHERE month = '2025-07-01' AND bucket = 0`);
    expect(await latestOpening(db, spec, '2025-08-01')).toBe('2025-07-01');
    expect(await latestOpening(db, spec, '2023-03-01')).toBeUndefined();
    const [m] = await db.query(`SELECT sum(open_delta)::int AS s FROM t.m_month WHERE month < '2025-07-01' AND bucket = 0`);
    expect(o.s).toBe(m.s);
  });

  it('gives the full history figures for every period, unit and hierarchy date', async () => {
    expect(await expectSameFigures()).toBeGreaterThan(40);
  });

  it('keeps them after back-dated writes, and leaves the openings alone for writes in the current quarter', async () => {
    const before = await db.query(`SELECT count(*)::int AS n, sum(open_delta)::int AS s FROM ${openingTable(spec)}`);
    await write([{ unitId: 102, month: '2026-11-01', bucket: 0, values: { received: 1, done: 0, open_delta: 1, open_enforceable_delta: 0 } }]);
    expect(await db.query(`SELECT count(*)::int AS n, sum(open_delta)::int AS s FROM ${openingTable(spec)}`)).toEqual(before);
    // Back-dated: a month with a row, a unit with no row before (new opening rows), several quarters back.
    await write([
      { unitId: 203, month: '2023-02-01', bucket: 1, values: { received: 0, done: 0, open_delta: 7, open_enforceable_delta: -2 } },
      { unitId: 105, month: '2024-05-01', bucket: 0, values: { received: 2, done: 1, open_delta: -1, open_enforceable_delta: 3 } },
      ...randomDeltas(monthsBetween('2023-01-01', '2026-09-01'), 40),
    ]);
    await expectSameFigures();
  });

  it('loses no write that races a build, and rebuilds to the same figures', async () => {
    await db.query(`DELETE FROM t.m_month_opening_built WHERE month >= '2025-01-01'`);
    await db.query(`DELETE FROM ${openingTable(spec)} WHERE month >= '2025-01-01'`);
    const months = monthsBetween('2023-01-01', '2026-11-01');
    await Promise.all([ensureOpenings(db, spec, TODAY), ...Array.from({ length: 20 }, () => write(randomDeltas(months, 5)))]);
    await expectSameFigures();
    await rebuildOpenings(db, spec, TODAY);
    await expectSameFigures();
  });

  it('is what queryRollup reads: zero rows for units without activity, figures as bigint', async () => {
    const byUnit = await queryRollup(db, spec, [10, 999], period('2025-07-01', '2026-06-01'), TODAY, [0]);
    const full = await db.query(buildRollupSql(spec), [[10], '2025-07-01', '2026-06-01', TODAY, [0]]);
    expect(byUnit.get(10)!.get(0)!.open_deltaAtEnd).toBe(BigInt(full[0].open_deltaAtEnd));
    expect(byUnit.get(999)!.get(0)).toEqual({ received: 0n, done: 0n, open_deltaAtStart: 0n, open_deltaAtEnd: 0n, open_enforceable_deltaAtStart: 0n, open_enforceable_deltaAtEnd: 0n });
  });
});
