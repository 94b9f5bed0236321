import { resolvePeriod, UNIT_PAGE, type PeriodSpec } from '@thads/kit';
import type { EpochSizes, HierarchySizes } from './hierarchy-sizes';

/** The unit connections' page cap (org-units refuses a larger `first`) and their default page. */
export const MAX_PAGE = UNIT_PAGE.max;
const DEFAULT_PAGE = UNIT_PAGE.default;

/** Lists whose size the hierarchy does not bound: how many items they return at most, as far as the hub's data goes. */
const FIXED_SIZES: Record<string, number> = {
  ancestors: 4,
  lineage: 8,
  byCategory: 3,
  byKind: 4,
  columns: 40,
};
const DEFAULT_LIST_SIZE = 100;

const RANKING = /^(live)?(case|money|complaint)Ranking$/;

/** How many items a list (or a connection's page) returns, and whether its units are known not to be the root (the ministry). */
export interface ListEstimate {
  size: number;
  belowRoot: boolean;
}

type Args = Record<string, unknown>;

const text = (v: unknown): string | undefined => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);
const record = (v: unknown): Args => (v && typeof v === 'object' ? (v as Args) : {});

/** A page's size: `first` (its default when absent), at most the cap. */
function pageSize(first: unknown): number {
  return typeof first === 'number' && Number.isInteger(first) && first >= 0 ? Math.min(first, MAX_PAGE) : first === undefined ? DEFAULT_PAGE : MAX_PAGE;
}

/** The day whose hierarchy a ranking uses: `asOf`, else its period's last day; unknown when neither can be read. */
function rankingDate(args: Args): string | undefined {
  if (text(args.asOf)) return text(args.asOf);
  try {
    return resolvePeriod(record(args.period) as PeriodSpec).end;
  } catch {
    return undefined;
  }
}

/** Units of a level below one unit: the whole country under the root, else the most under any other unit. */
function ofTypeUnder(epoch: EpochSizes, type: string | undefined, under: 'root' | 'belowRoot'): number {
  if (under === 'root') return type ? (epoch.ofType[type] ?? 0) : epoch.maxDescendants;
  return type ? (epoch.maxOfTypeBelowRoot[type] ?? 0) : epoch.maxBelowRoot;
}

/**
 * The size of a list field from its arguments and the hierarchy's real counts; undefined
 * for a field that is not a list of the hierarchy (then the fixed sizes apply). `parentBelowRoot`:
 * the unit the field is read on is known not to be the root.
 */
export function hierarchyListSize(name: string, args: Args, parentBelowRoot: boolean, sizes: HierarchySizes, today: string): ListEstimate | undefined {
  const filter = record(args.filter);
  const type = text(args.type) ?? text(filter.type);
  const under = parentBelowRoot ? 'belowRoot' : 'root';
  // At least 1: fields under an empty list still count once, in case the counts are a moment old.
  const sized = (size: number, belowRoot: boolean): ListEstimate => ({ size: Math.max(1, size), belowRoot });
  switch (name) {
    case 'units': {
      const epoch = sizes.at(text(args.asOf) ?? today);
      return sized(type ? (epoch.ofType[type] ?? 0) : epoch.total, type !== undefined && type !== 'MINISTRY');
    }
    case 'unitsConnection': {
      const epoch = sizes.at(text(filter.validOn) ?? today);
      const within = text(filter.within);
      const bounds = [epoch.total];
      if (type) bounds.push(epoch.ofType[type] ?? 0);
      if (text(filter.parent)) bounds.push(epoch.maxChildren);
      if (within) bounds.push(ofTypeUnder(epoch, type, within === String(sizes.rootId) ? 'root' : 'belowRoot'));
      const belowRoot = (type !== undefined && type !== 'MINISTRY') || text(filter.parent) !== undefined || within !== undefined;
      return sized(Math.min(pageSize(args.first), ...bounds), belowRoot);
    }
    case 'children':
    case 'childrenConnection': {
      const epoch = sizes.at(text(args.asOf) ?? text(filter.validOn));
      const bound = Math.min(epoch.maxChildren, type ? (epoch.ofType[type] ?? 0) : Infinity);
      return sized(name === 'children' ? bound : Math.min(pageSize(args.first), bound), true);
    }
    case 'descendants':
    case 'descendantsConnection': {
      const bound = ofTypeUnder(sizes.at(text(args.asOf) ?? text(filter.validOn)), type, under);
      return sized(name === 'descendants' ? bound : Math.min(pageSize(args.first), bound), true);
    }
    case 'rows': // a report form: the total, the unit's own row, one row a unit directly under it
      return sized(sizes.anyDate.maxChildren + 2, true);
  }
  if (RANKING.test(name)) {
    const epoch = sizes.at(rankingDate(args));
    const within = text(args.within);
    const level = text(args.level) ?? 'PROVINCE';
    return sized(ofTypeUnder(epoch, level, within === undefined || within === String(sizes.rootId) ? 'root' : 'belowRoot'), true);
  }
  return undefined;
}

/** The size of any other list: its `limit` argument, or what the hub's data holds at most. */
export function fixedListSize(name: string, args: Args): number {
  if (typeof args.limit === 'number') return args.limit;
  return FIXED_SIZES[name] ?? DEFAULT_LIST_SIZE;
}
