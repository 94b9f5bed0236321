import { DataSource } from 'typeorm';
import { createTestDatabase, dropTestDatabase } from '../../../../test/support/test-db';
import { closeReadPool } from '../db/read-pool';
import { Prng } from '../util/prng';
import { addMonthDeltas, type MonthDelta } from '../write/month-deltas';
import { buildOpening, ensureOpenings, latestOpening, openingTable, rebuildOpenings } from './openings';
import { refreshRollupFanOut } from './fan-out';
import { rebuildRegisteredRollups, rebuildRollup, registerRollup } from './rebuild';
import { buildRollupSql, queryRollup } from './rollup-query';
import { rollupTable, type RollupSpec } from './rollup-spec';
import { createRollupSql } from './rollup-tables';
import { verifyRollup } from './verify';
import type { Period } from '../time/period';

/**
 * The maintained rollup against the obvious answer on a real PostgreSQL: for every unit,
 * period and hierarchy date, the sum of the month rows of the units it covers on that date.
 * Also after back-dated writes, writes racing an openings build, a rebuild, and a change of
 * the hierarchy; and `verifyRollup` finds a tampered row.
 */
describe('maintained rollups (real PostgreSQL)', () => {
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
    for (
      let y = Number(from.slice(0, 4)), m = Number(from.slice(5, 7));
      `${y}-${String(m).padStart(2, '0')}` <= to.slice(0, 7);
      m === 12 ? (y++, (m = 1)) : m++
    ) {
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

  /** The answer without any maintained table: month rows of the units covered on asOf, summed. */
  const ORACLE = `SELECT e.ancestor_id AS unit_id, m.bucket,
      coalesce(sum(m.received) FILTER (WHERE m.month >= $2::date), 0)::text AS received,
      coalesce(sum(m.done) FILTER (WHERE m.month >= $2::date), 0)::text AS done,
      coalesce(sum(m.open_delta) FILTER (WHERE m.month < $2::date), 0)::text AS "open_deltaAtStart",
      coalesce(sum(m.open_delta), 0)::text AS "open_deltaAtEnd",
      coalesce(sum(m.open_enforceable_delta) FILTER (WHERE m.month < $2::date), 0)::text AS "open_enforceable_deltaAtStart",
      coalesce(sum(m.open_enforceable_delta), 0)::text AS "open_enforceable_deltaAtEnd"
    FROM org_units.rollup_edge e JOIN t.m_month m ON m.unit_id = e.descendant_id AND m.month <= $3::date
    WHERE e.ancestor_id = ANY($1::int[]) AND e.valid_from <= $4::date AND e.valid_to > $4::date AND m.bucket = ANY($5::smallint[])
    GROUP BY e.ancestor_id, m.bucket`;

  /** Every unit, for periods starting on and off quarter starts, on both hierarchies: the rollup = the oracle. */
  async function expectSameFigures(): Promise<number> {
    const firsts = ['2023-01-01', '2023-02-01', '2023-04-01', '2024-05-01', '2024-10-01', '2025-07-01', '2025-08-01', '2026-10-01', '2026-11-01'];
    let compared = 0;
    for (const first of firsts) {
      for (const last of ['2026-11-01', '2026-12-01', first]) {
        if (last < first) continue;
        for (const asOf of ['2025-06-30', TODAY]) {
          const params = [UNITS, first, last, asOf, [0, 1]];
          const sorted = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(r)).sort();
          const oracle = sorted(await db.query(ORACLE, params));
          expect(oracle.length).toBeGreaterThan(0);
          expect(sorted(await db.query(buildRollupSql(spec, { openings: false }), params))).toEqual(oracle);
          const [{ latest }] = await db.query(`SELECT max(month)::text AS latest FROM ${rollupTable(spec)}_opening_built WHERE month <= $1`, [first]);
          // The latest built quarter, and one that is not built (a stale choice): the same figures.
          for (const opening of [latest, '2022-07-01', first]) {
            if (!opening) continue;
            expect(sorted(await db.query(buildRollupSql(spec, { openings: true }), [...params, opening]))).toEqual(oracle);
          }
          // What the services run: the quarter from the cached list of built ones.
          const viaLoader = await queryRollup(db, spec, UNITS, period(first, last), asOf, [0, 1]);
          for (const json of oracle) {
            const r = JSON.parse(json) as Record<string, string | number>;
            const row = viaLoader.get(Number(r.unit_id))!.get(Number(r.bucket))!;
            for (const k of Object.keys(row)) expect(String(row[k])).toBe(r[k]);
          }
          compared++;
        }
      }
    }
    return compared;
  }

  async function setHierarchy(moveOn: string, q: Pick<DataSource, 'query'> = db): Promise<void> {
    const edges: [number, number, string, string][] = [];
    const always = (a: number, d: number) => edges.push([a, d, '2000-01-01', '9999-12-31']);
    for (const u of UNITS) always(1, u);
    for (const u of [10, 101, 102, 103, 104]) always(10, u);
    for (const u of [20, 201, 202, 203]) always(20, u);
    for (const w of WARDS) always(w, w);
    edges.push([10, 105, '2000-01-01', moveOn], [20, 105, moveOn, '9999-12-31']);
    await q.query('DELETE FROM org_units.rollup_edge');
    for (const e of edges) await q.query('INSERT INTO org_units.rollup_edge VALUES ($1, $2, $3, $4)', e);
    await q.query('DELETE FROM org_units.rollup_epoch');
    await q.query(`INSERT INTO org_units.rollup_epoch VALUES ('2000-01-01', $1), ($1, '9999-12-31')`, [moveOn]);
    await refreshRollupFanOut(q);
  }

  beforeAll(async () => {
    url = await createTestDatabase('rollups');
    db = new DataSource({ type: 'postgres', url });
    await db.initialize();
    await db.query('CREATE SCHEMA org_units');
    await db.query(
      'CREATE TABLE org_units.rollup_edge (ancestor_id int, descendant_id int, valid_from date, valid_to date, PRIMARY KEY (ancestor_id, valid_from, descendant_id))',
    );
    await db.query('CREATE TABLE org_units.rollup_epoch (valid_from date PRIMARY KEY, valid_to date NOT NULL)');
    await db.query('CREATE TABLE org_units.rollup_fan_out (descendant_id int NOT NULL, epoch date NOT NULL, ancestor_id int NOT NULL)');
    await db.query('CREATE TABLE org_units.rollup_registry (rollup_table text PRIMARY KEY, spec jsonb NOT NULL, built_at timestamptz)');
    await setHierarchy('2025-07-01');
    await db.query('CREATE SCHEMA t');
    await db.query(`CREATE TABLE t.m_month (unit_id int NOT NULL, month date NOT NULL, bucket smallint NOT NULL,
      received int NOT NULL DEFAULT 0, done int NOT NULL DEFAULT 0, open_delta int NOT NULL DEFAULT 0, open_enforceable_delta int NOT NULL DEFAULT 0,
      PRIMARY KEY (unit_id, month, bucket))`);
    for (const sql of createRollupSql(spec)) await db.query(sql);
    await registerRollup(db, spec);
    await rebuildRollup(db, spec, TODAY);
    await write(randomDeltas(monthsBetween('2023-01-01', '2026-11-01'), 600));
  });
  afterAll(async () => {
    await closeReadPool(db);
    await db.destroy();
    await dropTestDatabase(url);
  });

  it('keeps every unit of every epoch current at write time: the figures of every period, unit and hierarchy date', async () => {
    expect(await expectSameFigures()).toBeGreaterThan(40);
  });

  it('builds the openings of every quarter after the first month up to the current one, once', async () => {
    await rebuildOpenings(db, spec, TODAY);
    await db.query(`DELETE FROM ${openingTable(spec)}_built`);
    await db.query(`DELETE FROM ${openingTable(spec)}`);
    const built = await ensureOpenings(db, spec, TODAY);
    expect(built[0]).toBe('2023-04-01');
    expect(built[built.length - 1]).toBe('2026-10-01');
    expect(built).toHaveLength(15);
    expect(await ensureOpenings(db, spec, TODAY)).toEqual([]);
    expect(await buildOpening(db, spec, '2026-10-01')).toBe(false);
    // An opening is the sum of every month before its quarter, per epoch (the nation's edges
    // hold in every epoch: kept once, under -infinity).
    const [o] = await db.query(
      `SELECT sum(open_delta)::int AS s FROM ${openingTable(spec)} WHERE month = '2025-07-01' AND bucket = 0 AND unit_id = 1 AND epoch = '-infinity'`,
    );
    const [m] = await db.query(`SELECT sum(open_delta)::int AS s FROM t.m_month WHERE month < '2025-07-01' AND bucket = 0`);
    expect(o.s).toBe(m.s);
    expect(await latestOpening(db, spec, '2025-08-01')).toBe('2025-07-01');
    expect(await latestOpening(db, spec, '2023-03-01')).toBeUndefined();
    await expectSameFigures();
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

  it('loses no write among concurrent writers and a racing openings build, and rebuilds to the same figures', async () => {
    await db.query(`DELETE FROM ${openingTable(spec)}_built WHERE month >= '2025-01-01'`);
    await db.query(`DELETE FROM ${openingTable(spec)} WHERE month >= '2025-01-01'`);
    const months = monthsBetween('2023-01-01', '2026-11-01');
    await Promise.all([ensureOpenings(db, spec, TODAY), ...Array.from({ length: 20 }, () => write(randomDeltas(months, 5)))]);
    await expectSameFigures();
    await rebuildRollup(db, spec, TODAY);
    await expectSameFigures();
  });

  it('verifies clean, and reports a tampered rollup row and a tampered opening with their keys', async () => {
    for (const report of await verifyRollup(db, spec)) expect([report.table, report.differing]).toEqual([report.table, 0]);
    await db.query(
      `UPDATE ${rollupTable(spec)} SET done = done + 1 WHERE (epoch, unit_id, bucket, month) = (SELECT epoch, unit_id, bucket, month FROM ${rollupTable(spec)} WHERE unit_id = 10 ORDER BY month LIMIT 1)`,
    );
    await db.query(
      `UPDATE ${openingTable(spec)} SET open_delta = open_delta - 2 WHERE unit_id = 20 AND month = '2024-01-01' AND bucket = 0 AND epoch = '-infinity'`,
    );
    const [rollup, openings] = await verifyRollup(db, spec);
    expect(rollup!.differing).toBe(1);
    expect(rollup!.differences[0]).toMatchObject({ table: rollupTable(spec), column: 'done', key: { unit_id: '10' } });
    expect(BigInt(rollup!.differences[0]!.stored) - BigInt(rollup!.differences[0]!.expected)).toBe(1n);
    expect(openings!.differing).toBe(1);
    expect(openings!.differences[0]).toMatchObject({ column: 'open_delta', key: { unit_id: '20', month: '2024-01-01', bucket: '0', epoch: '-infinity' } });
    await rebuildRollup(db, spec, TODAY);
    for (const report of await verifyRollup(db, spec)) expect(report.differing).toBe(0);
  });

  it('sums every registered rollup again with a changed hierarchy, in the same transaction, so the figures follow the new edges', async () => {
    await db.transaction(async (tx) => {
      await setHierarchy('2024-01-01', tx);
      expect(await rebuildRegisteredRollups(tx)).toEqual([rollupTable(spec)]);
    });
    for (const report of await verifyRollup(db, spec)) expect(report.differing).toBe(0);
    await expectSameFigures();
  });

  it('is what queryRollup reads: zero rows for units without activity, figures as bigint', async () => {
    const byUnit = await queryRollup(db, spec, [10, 999], period('2025-07-01', '2026-06-01'), TODAY, [0]);
    const [oracle] = await db.query(ORACLE, [[10], '2025-07-01', '2026-06-01', TODAY, [0]]);
    expect(byUnit.get(10)!.get(0)!.open_deltaAtEnd).toBe(BigInt(oracle.open_deltaAtEnd));
    expect(byUnit.get(999)!.get(0)).toEqual({
      received: 0n,
      done: 0n,
      open_deltaAtStart: 0n,
      open_deltaAtEnd: 0n,
      open_enforceable_deltaAtStart: 0n,
      open_enforceable_deltaAtEnd: 0n,
    });
  });
});
