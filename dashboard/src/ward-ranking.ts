// Ranks of a province's wards. No imports: the tests load this file as it is.

/**
 * Ranks by completion rate, highest first, ties sharing a rank (1, 2, 2, 4) and units without
 * a rate (nothing enforceable) last, without a rank: the API's ranking rule. The API ranks
 * the wards of the whole country (caseRanking level WARD), not those of one province, so the
 * dashboard ranks the province's children's caseStats here, in the browser.
 */
export function rankByRate<T>(items: readonly T[], rate: (item: T) => number | null): { item: T; rank: number | null }[] {
  const sorted = [...items].sort((a, b) => (rate(b) ?? -Infinity) - (rate(a) ?? -Infinity));
  let rank = 0;
  let previous: number | null = null;
  return sorted.map((item, index) => {
    const value = rate(item);
    if (value === null) return { item, rank: null };
    if (value !== previous) rank = index + 1;
    previous = value;
    return { item, rank };
  });
}
