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
