/**
 * Which units' figures count towards which unit, for every date: the rollup edges.
 *
 * On a date d, ancestor A covers unit U when
 * - U is valid on d and A is U or one of its ancestors on d; or
 * - U had ended by d: its figures follow its lineage successors (or, with none, its parent)
 *   to the units valid on d, and count wherever those count; or
 * - A starts after d: before it existed, A covers what its predecessors cover, so that a
 *   merged province's 2024 figures are the sums of its predecessors'; or
 * - A had ended by d: it keeps covering what it covered on its last day, so that an old
 *   province still answers with its own figures after the reorganization.
 * Edges are computed per interval between validity boundaries and merged where equal.
 */
export interface UnitValidity {
  id: number;
  parentId: number | null;
  /** YYYY-MM-DD, inclusive. */
  validFrom: string;
  /** YYYY-MM-DD, exclusive; null while valid. */
  validTo: string | null;
}

export interface LineageLink {
  fromUnitId: number;
  toUnitId: number;
}

export interface RollupEdge {
  ancestorId: number;
  descendantId: number;
  validFrom: string;
  /** Exclusive; 'infinity' for open-ended. */
  validTo: string;
}

export const BEGINNING = '-infinity';
export const END = 'infinity';

function isValidOn(u: UnitValidity, d: string): boolean {
  return u.validFrom <= d && (u.validTo === null || d < u.validTo);
}

/** Lexical compare works for YYYY-MM-DD; -infinity sorts first, infinity last. */
function before(a: string, b: string): boolean {
  if (a === b) return false;
  if (a === BEGINNING || b === END) return true;
  if (a === END || b === BEGINNING) return false;
  return a < b;
}

export function computeRollupEdges(units: readonly UnitValidity[], lineage: readonly LineageLink[]): RollupEdge[] {
  const byId = new Map(units.map((u) => [u.id, u]));
  const successors = new Map<number, number[]>();
  const predecessors = new Map<number, number[]>();
  for (const l of lineage) {
    (successors.get(l.fromUnitId) ?? successors.set(l.fromUnitId, []).get(l.fromUnitId)!).push(l.toUnitId);
    (predecessors.get(l.toUnitId) ?? predecessors.set(l.toUnitId, []).get(l.toUnitId)!).push(l.fromUnitId);
  }

  const boundaries = new Set<string>([BEGINNING]);
  for (const u of units) {
    boundaries.add(u.validFrom);
    if (u.validTo) boundaries.add(u.validTo);
  }
  const sorted = [...boundaries].sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));

  // pair key "ancestor:descendant" → open interval start, for merging equal neighbours
  const open = new Map<string, string>();
  const edges: RollupEdge[] = [];

  // What each ended unit covered on its last day, kept for every later date.
  const frozen: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const from = sorted[i]!;
    const to = sorted[i + 1];
    // A representative date inside [from, to): dates compare lexically, so `from` itself works,
    // except -infinity, which precedes every real validFrom.
    const probe = from === BEGINNING ? '0000-01-01' : from;
    const pairs = pairsOn(probe, units, byId, successors, predecessors);
    const endingHere = new Set(units.filter((u) => u.validTo !== null && u.validTo === to).map((u) => u.id));
    for (const key of pairs) if (endingHere.has(Number(key.split(':')[0]))) frozen.push(key);
    for (const key of frozen) pairs.add(key);
    for (const key of pairs) if (!open.has(key)) open.set(key, from);
    for (const [key, start] of [...open]) {
      if (!pairs.has(key)) {
        edges.push(edgeOf(key, start, from));
        open.delete(key);
      }
    }
  }
  for (const [key, start] of open) edges.push(edgeOf(key, start, END));
  return edges;
}

function edgeOf(key: string, validFrom: string, validTo: string): RollupEdge {
  const [a, d] = key.split(':').map(Number);
  return { ancestorId: a!, descendantId: d!, validFrom, validTo };
}

function pairsOn(
  d: string,
  units: readonly UnitValidity[],
  byId: Map<number, UnitValidity>,
  successors: Map<number, number[]>,
  predecessors: Map<number, number[]>,
): Set<string> {
  const ancestorsOn = (id: number): number[] => {
    const chain: number[] = [];
    let current: UnitValidity | undefined = byId.get(id);
    while (current && chain.length < 32) {
      chain.push(current.id);
      current = current.parentId === null ? undefined : byId.get(current.parentId);
    }
    return chain;
  };

  // Where an ended unit's figures go on d.
  const targetsMemo = new Map<number, number[]>();
  const targets = (id: number, seen: Set<number> = new Set()): number[] => {
    const memo = targetsMemo.get(id);
    if (memo) return memo;
    const u = byId.get(id);
    if (!u || seen.has(id)) return [];
    seen.add(id);
    let out: number[];
    if (isValidOn(u, d)) out = [id];
    else if (u.validFrom > d) out = [];
    else {
      const next = successors.get(id) ?? [];
      const viaLineage = next.flatMap((s) => targets(s, seen));
      out = viaLineage.length > 0 || u.parentId === null ? viaLineage : targets(u.parentId, seen);
    }
    targetsMemo.set(id, out);
    return out;
  };

  const pairs = new Set<string>();
  for (const u of units) {
    if (u.validFrom > d) continue;
    for (const t of new Set(targets(u.id))) for (const a of ancestorsOn(t)) pairs.add(`${a}:${u.id}`);
  }

  // Units that start after d cover what their predecessors cover on d.
  const coveredBy = new Map<number, number[]>();
  for (const key of pairs) {
    const [a, x] = key.split(':').map(Number);
    (coveredBy.get(a!) ?? coveredBy.set(a!, []).get(a!)!).push(x!);
  }
  const validPredecessors = (id: number, seen: Set<number>): number[] => {
    if (seen.has(id)) return [];
    seen.add(id);
    return (predecessors.get(id) ?? []).flatMap((p) => {
      const pu = byId.get(p);
      if (!pu) return [];
      return isValidOn(pu, d) ? [p] : validPredecessors(p, seen);
    });
  };
  for (const f of units) {
    if (f.validFrom <= d) continue;
    for (const p of validPredecessors(f.id, new Set())) for (const x of coveredBy.get(p) ?? []) pairs.add(`${f.id}:${x}`);
  }
  return pairs;
}
