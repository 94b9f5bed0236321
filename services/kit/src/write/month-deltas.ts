import type { EntityManager } from 'typeorm';
import { deferred } from '../db/prepared';
import { rollupDeltasSql } from '../rollup/fan-out';
import { openingDeltasSql } from '../rollup/openings';
import { checkIdent, valueType, type RollupSpec } from '../rollup/rollup-spec';

/** From this many month rows on (an import), a write's fan-out gets more memory to sort in. */
const LARGE_WRITE_ROWS = 1000;

export interface MonthDelta {
  unitId: number;
  /** First day of the month. */
  month: string;
  bucket: number;
  /** Column → amount to add. */
  values: Record<string, bigint | number>;
}

interface Summed {
  unitId: number;
  month: string;
  bucket: number;
  sums: (bigint | number)[];
}

/**
 * Adds deltas to the per-month rows of their units and to the maintained rollup of every unit
 * that covers them, atomically (INSERT … ON CONFLICT DO UPDATE SET col = col + excluded.col):
 * concurrent writers never lose an update. Many deltas go in one statement a table; equal
 * keys are summed first (numbers stay numbers, VND stays bigint). A back-dated write's stock
 * deltas also reach the rollup's openings of the quarters after it.
 */
export async function addMonthDeltas(tx: EntityManager, spec: RollupSpec, columns: readonly string[], deltas: readonly MonthDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  const { table } = spec;
  for (const c of [table, ...columns]) checkIdent(c);
  const stockAt = spec.stocks.map((c) => columns.indexOf(c));
  if (stockAt.some((i) => i < 0)) throw new Error(`addMonthDeltas(${table}): the columns must include every stock (${spec.stocks.join(', ')})`);
  // A numeric key per (unit, month, bucket) that also sorts them: no strings built per delta.
  const summed = new Map<number, Summed>();
  const monthKeys = new Map<string, number>();
  for (const d of deltas) {
    let m = monthKeys.get(d.month);
    if (m === undefined) monthKeys.set(d.month, (m = Number(d.month.slice(0, 4)) * 12 + Number(d.month.slice(5, 7))));
    const key = (d.unitId * 100000 + m) * 16 + d.bucket;
    let row = summed.get(key);
    if (!row) {
      row = { unitId: d.unitId, month: d.month, bucket: d.bucket, sums: columns.map(() => 0) };
      summed.set(key, row);
    }
    const sums = row.sums;
    for (let i = 0; i < columns.length; i++) {
      const v = d.values[columns[i]!];
      if (v === undefined || v === 0) continue;
      const s = sums[i]!;
      sums[i] = typeof v === 'bigint' || typeof s === 'bigint' ? BigInt(s) + BigInt(v) : s + v;
    }
  }
  // Rows are taken in key order so that two writers lock them in the same order (no deadlock).
  const rows = [...summed.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r);
  // Each array goes as its literal, written once for the three statements (pg would quote and
  // escape every element of every array again for each).
  const params: unknown[] = [arrayLiteral(rows.map((r) => r.unitId)), arrayLiteral(rows.map((r) => r.month)), arrayLiteral(rows.map((r) => r.bucket))];
  columns.forEach((_c, i) => params.push(arrayLiteral(rows.map((r) => r.sums[i]!))));
  const casts = columns.map((_c, i) => `$${i + 4}::${valueType(spec)}[]`).join(', ');
  const name = table.split('.').pop()!;
  // An import sorts and groups ~8 rollup rows a month row: in memory, not in batches on disk.
  if (rows.length >= LARGE_WRITE_ROWS) await deferred(tx, `SET LOCAL work_mem = '64MB'`, []);
  // Three statements in one order for every writer (month rows, rollup rows, openings), each
  // locking its rows in key order: two writers never wait on each other in a cycle.
  await deferred(
    tx,
    `INSERT INTO ${table} (unit_id, month, bucket, ${columns.join(', ')})
     SELECT * FROM unnest($1::int[], $2::date[], $3::smallint[], ${casts})
     ON CONFLICT (unit_id, month, bucket) DO UPDATE SET ${columns.map((c) => `${c} = ${name}.${c} + EXCLUDED.${c}`).join(', ')}`,
    params,
  );
  await deferred(tx, rollupDeltasSql(spec, columns), params);
  if (stockAt.length > 0) await deferred(tx, openingDeltasSql(spec), [params[0], params[1], params[2], ...stockAt.map((i) => params[i + 3])]);
}

/** A PostgreSQL array literal of values that need no quoting: numbers and ISO dates. */
function arrayLiteral(values: readonly (number | bigint | string)[]): string {
  return `{${values.join(',')}}`;
}

/** First day of a date's month. */
export function monthOf(date: string): string {
  return `${date.slice(0, 7)}-01`;
}
