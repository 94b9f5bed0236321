/**
 * Figures recomputed the slow, obvious way from the raw demo facts, independently of the
 * event deltas, aggregates and rollup edges that the services use. Tests compare the two.
 */
import type { DemoCase, DemoPetition, DemoReception } from '@thads/kit';
import type { UnitRow } from '@thads/org-units';

export const REORG = '2025-07-01';

/** Units whose facts count for `ancestorId` on `asOf`, from the seed's structure alone. */
export function coveredUnits(units: UnitRow[], lineage: { fromUnitId: number; toUnitId: number }[], ancestorId: number, asOf: string): Set<number> {
  const byId = new Map(units.map((u) => [u.id, u]));
  const successor = new Map(lineage.map((l) => [l.fromUnitId, l.toUnitId]));
  const a = byId.get(ancestorId)!;
  // A unit created after the hierarchy date has no place in that date's hierarchy: its facts
  // count nowhere in it (they count from its own start on), at the nation as at any unit.
  const existing = (ids: Iterable<number>) => new Set([...ids].filter((id) => byId.get(id)!.validFrom <= asOf));
  if (a.type === 'MINISTRY') return existing(units.map((u) => u.id));
  const children = new Map<number, number[]>();
  for (const u of units) if (u.parentId !== null) (children.get(u.parentId) ?? children.set(u.parentId, []).get(u.parentId)!).push(u.id);
  const out = new Set<number>();
  // A unit and everything under it, whatever the date: an old district its old communes, an
  // old province its districts and their communes, on any date.
  const subtree = (id: number) => {
    out.add(id);
    for (const c of children.get(id) ?? []) subtree(c);
  };
  subtree(ancestorId);
  for (const u of units) {
    // A ward covers the old communes merged into it, before and after the reorganization.
    if (a.type === 'WARD' && u.type === 'WARD' && successor.get(u.id) === ancestorId) out.add(u.id);
    // A new province covers its predecessors with their districts and communes on any date.
    if (a.type === 'PROVINCE' && a.validTo === null && u.type === 'PROVINCE' && successor.get(u.id) === ancestorId) subtree(u.id);
  }
  return existing(out);
}

export interface CaseFiguresBF {
  carriedOver: number;
  newlyReceived: number;
  entrustedOut: number;
  withdrawn: number;
  separateBook: number;
  toEnforce: number;
  enforceable: number;
  done: number;
  completed: number;
  terminated: number;
  carriedToNext: number;
}

const left = (c: DemoCase, before: string) => c.outcome !== null && c.outcome.on < before;
const enforceableOn = (c: DemoCase, date: string) => {
  const last = c.classifications.filter((x) => x.on <= date).at(-1);
  return last?.enforceable ?? false;
};

export function caseFiguresBF(cases: DemoCase[], units: Set<number>, start: string, end: string, categoryFlag = 0): CaseFiguresBF {
  const mine = cases.filter((c) => units.has(c.unitId) && (categoryFlag === 0 || (c.categories & categoryFlag) !== 0));
  const inPeriod = (d: string) => d >= start && d <= end;
  const carriedOver = mine.filter((c) => c.receivedOn < start && !left(c, start)).length;
  const newlyReceived = mine.filter((c) => inPeriod(c.receivedOn)).length;
  const outcome = (...kinds: string[]) => mine.filter((c) => c.outcome && kinds.includes(c.outcome.kind) && inPeriod(c.outcome.on)).length;
  const entrustedOut = outcome('ENTRUSTED_OUT');
  const withdrawn = outcome('WITHDRAWN');
  const separateBook = outcome('SEPARATE_BOOK');
  const done = outcome('COMPLETED', 'TERMINATED');
  const terminated = outcome('TERMINATED');
  const openEnforceableAtEnd = mine.filter((c) => c.receivedOn <= end && !(c.outcome && c.outcome.on <= end) && enforceableOn(c, end)).length;
  const toEnforce = carriedOver + newlyReceived - entrustedOut - withdrawn - separateBook;
  return {
    carriedOver,
    newlyReceived,
    entrustedOut,
    withdrawn,
    separateBook,
    toEnforce,
    enforceable: done + openEnforceableAtEnd,
    done,
    completed: done - terminated,
    terminated,
    carriedToNext: toEnforce - done,
  };
}

export interface MoneyFiguresBF {
  carriedOver: bigint;
  newlyReceived: bigint;
  toEnforce: bigint;
  enforceable: bigint;
  done: bigint;
  collected: bigint;
}

const collectedBefore = (c: DemoCase, date: string, inclusive: boolean) =>
  c.collections.filter((x) => (inclusive ? x.on <= date : x.on < date)).reduce((s, x) => s + x.amount, 0n);

export function moneyFiguresBF(cases: DemoCase[], units: Set<number>, start: string, end: string): MoneyFiguresBF {
  const mine = cases.filter((c) => units.has(c.unitId));
  const inPeriod = (d: string) => d >= start && d <= end;
  let carriedOver = 0n;
  let newlyReceived = 0n;
  let leftOther = 0n;
  let done = 0n;
  let collected = 0n;
  let openEnforceableAtEnd = 0n;
  for (const c of mine) {
    if (c.receivedOn < start && !left(c, start)) carriedOver += c.amount - collectedBefore(c, start, false);
    if (inPeriod(c.receivedOn)) newlyReceived += c.amount;
    const inside = c.collections.filter((x) => inPeriod(x.on)).reduce((s, x) => s + x.amount, 0n);
    collected += inside;
    done += inside;
    if (c.outcome && inPeriod(c.outcome.on)) {
      const remaining = c.amount - collectedBefore(c, c.outcome.on, true);
      if (c.outcome.kind === 'COMPLETED' || c.outcome.kind === 'TERMINATED') done += remaining;
      else leftOther += remaining;
    }
    const openAtEnd = c.receivedOn <= end && !(c.outcome && c.outcome.on <= end);
    if (openAtEnd && enforceableOn(c, end)) openEnforceableAtEnd += c.amount - collectedBefore(c, end, true);
  }
  const toEnforce = carriedOver + newlyReceived - leftOther;
  return { carriedOver, newlyReceived, toEnforce, enforceable: done + openEnforceableAtEnd, done, collected };
}

export function petitionFiguresBF(petitions: DemoPetition[], receptions: DemoReception[], units: Set<number>, start: string, end: string) {
  const mine = petitions.filter((p) => units.has(p.unitId));
  const carriedOver = mine.filter((p) => p.receivedOn < start && !(p.resolvedOn && p.resolvedOn < start)).length;
  const newlyReceived = mine.filter((p) => p.receivedOn >= start && p.receivedOn <= end).length;
  const resolved = mine.filter((p) => p.resolvedOn && p.resolvedOn >= start && p.resolvedOn <= end).length;
  const citizensReceived = receptions.filter((r) => units.has(r.unitId) && r.receivedOn >= start && r.receivedOn <= end).reduce((s, r) => s + r.citizens, 0);
  return { carriedOver, newlyReceived, resolved, citizensReceived };
}
