/**
 * A percentage `part ÷ whole × 100` rounded half-up to 2 decimals, computed on integers so
 * that 289 ÷ 327 is exactly 88.38 and never a float artefact. Null when `whole` is 0.
 */
export function percent(part: bigint | number, whole: bigint | number): number | null {
  const p = BigInt(part);
  const w = BigInt(whole);
  if (w === 0n) return null;
  const negative = p < 0n !== w < 0n && p !== 0n;
  const ap = p < 0n ? -p : p;
  const aw = w < 0n ? -w : w;
  const hundredths = (ap * 10000n * 2n + aw) / (aw * 2n);
  const value = Number(hundredths) / 100;
  return negative ? -value : value;
}

/** now − before for counts, amounts and rates; a rate difference is in points, 2 decimals; null when either side is null. */
export function difference<T extends number | bigint | null | string>(now: T, before: T): T {
  if (now === null || before === null) return null as T;
  if (typeof now === 'bigint' && typeof before === 'bigint') return (now - before) as T;
  if (typeof now === 'number' && typeof before === 'number') return (Math.round(now * 100 - before * 100) / 100) as T;
  return now;
}

/** Every figure of `now` minus the same figure of `before` (see difference): the "change" of a report. */
export function figureChanges<T extends object>(now: T, before: T): T {
  const out = {} as Record<string, unknown>;
  for (const key of Object.keys(now) as (keyof T & string)[]) out[key] = difference(now[key] as never, before[key] as never);
  return out as T;
}
