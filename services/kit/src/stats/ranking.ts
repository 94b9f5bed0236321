/** One unit's value for a ranking; null when the metric is undefined for it (e.g. 0 ÷ 0). */
export interface Ranked<T> {
  unitId: number;
  value: number | bigint | null;
  item: T;
}

export interface RankedRow<T> extends Ranked<T> {
  /** 1 for the best; equal values share a rank and the next rank skips (1, 2, 2, 4). */
  rank: number;
}

/** Sorts best first (higher is better; nulls last) and gives competition ranks. */
export function rank<T>(items: readonly Ranked<T>[]): RankedRow<T>[] {
  const sorted = [...items].sort((a, b) => {
    if (a.value === null || b.value === null) return a.value === null ? (b.value === null ? a.unitId - b.unitId : 1) : -1;
    if (a.value === b.value) return a.unitId - b.unitId;
    return a.value > b.value ? -1 : 1;
  });
  const out: RankedRow<T>[] = [];
  sorted.forEach((item, i) => {
    const previous = out[i - 1];
    const tied = previous !== undefined && previous.value === item.value;
    out.push({ ...item, rank: tied ? previous.rank : i + 1 });
  });
  return out;
}
