import type { EntityManager } from 'typeorm';

export interface MonthDelta {
  unitId: number;
  /** First day of the month. */
  month: string;
  bucket: number;
  /** Column → amount to add. */
  values: Record<string, bigint | number>;
}

const IDENT = /^[a-z_][a-z0-9_.]*$/;

/**
 * Adds deltas to the per-month aggregate rows atomically (INSERT … ON CONFLICT DO UPDATE
 * SET col = col + excluded.col): concurrent writers on the same unit and month never lose
 * an update. Many deltas go in one statement; equal keys are summed first.
 */
export async function addMonthDeltas(tx: EntityManager, table: string, columns: readonly string[], deltas: readonly MonthDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  for (const c of [table, ...columns]) if (!IDENT.test(c)) throw new Error(`not a safe SQL identifier: ${c}`);
  const summed = new Map<string, MonthDelta>();
  for (const d of deltas) {
    const key = `${d.unitId}|${d.month}|${d.bucket}`;
    const current = summed.get(key);
    if (!current) {
      summed.set(key, { ...d, values: { ...d.values } });
      continue;
    }
    for (const c of columns) current.values[c] = BigInt(current.values[c] ?? 0) + BigInt(d.values[c] ?? 0);
  }
  // Rows are taken in key order so that two writers lock them in the same order (no deadlock).
  const rows = [...summed.values()].sort((a, b) => a.unitId - b.unitId || a.month.localeCompare(b.month) || a.bucket - b.bucket);
  const params: unknown[] = [rows.map((r) => r.unitId), rows.map((r) => r.month), rows.map((r) => r.bucket)];
  for (const c of columns) params.push(rows.map((r) => String(r.values[c] ?? 0)));
  const casts = columns.map((_c, i) => `$${i + 4}::numeric[]`).join(', ');
  await tx.query(
    `INSERT INTO ${table} (unit_id, month, bucket, ${columns.join(', ')})
     SELECT * FROM unnest($1::int[], $2::date[], $3::smallint[], ${casts})
     ON CONFLICT (unit_id, month, bucket) DO UPDATE SET ${columns.map((c) => `${c} = ${table.split('.').pop()}.${c} + EXCLUDED.${c}`).join(', ')}`,
    params,
  );
}

/** First day of a date's month. */
export function monthOf(date: string): string {
  return `${date.slice(0, 7)}-01`;
}
