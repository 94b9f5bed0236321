/** One unit as the sizes need it. */
export interface UnitRow {
  id: number;
  parentId: number | null;
  type: string;
  validFrom: string;
  validTo: string | null;
}

/** How many units the lists of one hierarchy (the units valid on one day) can return. */
export interface EpochSizes {
  /** First day of the epoch (YYYY-MM-DD): the hierarchy holds until the next epoch's first day. */
  from: string;
  /** Units of each level. */
  ofType: Record<string, number>;
  /** All units. */
  total: number;
  /** The most units directly under one unit. */
  maxChildren: number;
  /** The most units below one unit (the root's whole tree). */
  maxDescendants: number;
  /** The most units below one unit that is not the root (a province's wards). */
  maxBelowRoot: number;
  /** The most units of each level below one unit that is not the root. */
  maxOfTypeBelowRoot: Record<string, number>;
}

/**
 * The real sizes of the hierarchy's lists, epoch by epoch (the hierarchy changes only at
 * the days units start or end): what the cost guard multiplies by, instead of the largest
 * list of any kind.
 */
export class HierarchySizes {
  /** The largest of every epoch: for a list whose date is not known before it runs. */
  readonly anyDate: EpochSizes;

  constructor(
    readonly epochs: readonly EpochSizes[],
    readonly rootId: number | null,
  ) {
    this.anyDate = epochs.reduce(maxOf, EMPTY);
  }

  /** The sizes on `date`, or the largest of every epoch when the date is unknown. */
  at(date: string | undefined): EpochSizes {
    if (date === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return this.anyDate;
    let found = this.epochs[0] ?? EMPTY;
    for (const epoch of this.epochs) if (epoch.from <= date) found = epoch;
    return found;
  }

  static fromUnits(units: readonly UnitRow[]): HierarchySizes {
    const days = [...new Set(units.flatMap((u) => (u.validTo ? [u.validFrom, u.validTo] : [u.validFrom])))].sort();
    const root = units.find((u) => u.parentId === null);
    return new HierarchySizes(
      days.map((day) => epochOn(units, day)),
      root?.id ?? null,
    );
  }
}

const EMPTY: EpochSizes = { from: '0000-01-01', ofType: {}, total: 0, maxChildren: 0, maxDescendants: 0, maxBelowRoot: 0, maxOfTypeBelowRoot: {} };

function maxOf(a: EpochSizes, b: EpochSizes): EpochSizes {
  const keys = (x: Record<string, number>, y: Record<string, number>) => [...new Set([...Object.keys(x), ...Object.keys(y)])];
  const merge = (x: Record<string, number>, y: Record<string, number>) => Object.fromEntries(keys(x, y).map((k) => [k, Math.max(x[k] ?? 0, y[k] ?? 0)]));
  return {
    from: a.from < b.from ? a.from : b.from,
    ofType: merge(a.ofType, b.ofType),
    total: Math.max(a.total, b.total),
    maxChildren: Math.max(a.maxChildren, b.maxChildren),
    maxDescendants: Math.max(a.maxDescendants, b.maxDescendants),
    maxBelowRoot: Math.max(a.maxBelowRoot, b.maxBelowRoot),
    maxOfTypeBelowRoot: merge(a.maxOfTypeBelowRoot, b.maxOfTypeBelowRoot),
  };
}

/** The sizes of the hierarchy valid on one day: one pass over a few thousand units. */
function epochOn(units: readonly UnitRow[], day: string): EpochSizes {
  const valid = units.filter((u) => u.validFrom <= day && (u.validTo === null || day < u.validTo));
  const ids = new Set(valid.map((u) => u.id));
  const children = new Map<number, UnitRow[]>();
  const ofType: Record<string, number> = {};
  for (const u of valid) {
    ofType[u.type] = (ofType[u.type] ?? 0) + 1;
    if (u.parentId !== null && ids.has(u.parentId)) (children.get(u.parentId) ?? children.set(u.parentId, []).get(u.parentId)!).push(u);
  }
  let maxDescendants = 0;
  let maxBelowRoot = 0;
  const maxOfTypeBelowRoot: Record<string, number> = {};
  // Units below each unit, by level (the tree is at most a few levels deep).
  const below = (u: UnitRow): Record<string, number> => {
    const counts: Record<string, number> = {};
    for (const c of children.get(u.id) ?? []) {
      counts[c.type] = (counts[c.type] ?? 0) + 1;
      for (const [type, n] of Object.entries(below(c))) counts[type] = (counts[type] ?? 0) + n;
    }
    const all = Object.values(counts).reduce((s, n) => s + n, 0);
    maxDescendants = Math.max(maxDescendants, all);
    if (u.parentId !== null) {
      maxBelowRoot = Math.max(maxBelowRoot, all);
      for (const [type, n] of Object.entries(counts)) maxOfTypeBelowRoot[type] = Math.max(maxOfTypeBelowRoot[type] ?? 0, n);
    }
    return counts;
  };
  for (const u of valid) if (u.parentId === null || !ids.has(u.parentId)) below(u);
  return {
    from: day,
    ofType,
    total: valid.length,
    maxChildren: Math.max(0, ...[...children.values()].map((c) => c.length)),
    maxDescendants,
    maxBelowRoot,
    maxOfTypeBelowRoot,
  };
}

/**
 * Without a database the guard cannot count: the sizes of the largest hierarchy the hub
 * serves (the 2025 reorganization's 34 provinces and 3,321 wards, the 63 provinces, ~700
 * districts and ~10,600 communes before), with room to spare.
 */
export const STATIC_SIZES = new HierarchySizes(
  [
    {
      from: '0000-01-01',
      ofType: { MINISTRY: 1, PROVINCE: 100, DISTRICT: 1000, WARD: 12000 },
      total: 13000,
      maxChildren: 200,
      maxDescendants: 13000,
      maxBelowRoot: 1000,
      maxOfTypeBelowRoot: { DISTRICT: 200, WARD: 1000 },
    },
  ],
  1,
);
