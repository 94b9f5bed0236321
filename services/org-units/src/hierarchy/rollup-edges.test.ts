import { computeRollupEdges, END, type RollupEdge, type UnitValidity } from './rollup-edges';

const REORG = '2025-07-01';
const units: UnitValidity[] = [
  { id: 1, parentId: null, validFrom: '1900-01-01', validTo: null }, // ministry
  { id: 10, parentId: 1, validFrom: '1900-01-01', validTo: REORG }, // old province A
  { id: 11, parentId: 1, validFrom: '1900-01-01', validTo: REORG }, // old province B
  { id: 100, parentId: 10, validFrom: '1900-01-01', validTo: REORG }, // district of A
  { id: 110, parentId: 11, validFrom: '1900-01-01', validTo: REORG }, // district of B
  { id: 20, parentId: 1, validFrom: REORG, validTo: null }, // new province AB
  { id: 200, parentId: 20, validFrom: REORG, validTo: null }, // ward of AB
];
const lineage = [
  { fromUnitId: 10, toUnitId: 20 },
  { fromUnitId: 11, toUnitId: 20 },
];

/** Which units `ancestor` covers on `date`, from the edges. */
function covered(edges: RollupEdge[], ancestor: number, date: string): number[] {
  return edges
    .filter((e) => e.ancestorId === ancestor && e.validFrom <= date && (e.validTo === END || date < e.validTo))
    .map((e) => e.descendantId)
    .sort((a, b) => a - b);
}

describe('computeRollupEdges', () => {
  const edges = computeRollupEdges(units, lineage);

  it('covers the hierarchy valid on a date before the merger', () => {
    expect(covered(edges, 10, '2024-06-30')).toEqual([10, 100]);
    expect(covered(edges, 1, '2024-06-30')).toEqual([1, 10, 11, 100, 110]);
  });

  it('maps old units through their lineage after the merger', () => {
    expect(covered(edges, 20, '2025-09-30')).toEqual([10, 11, 20, 100, 110, 200]);
    expect(covered(edges, 1, '2025-09-30')).toEqual([1, 10, 11, 20, 100, 110, 200]);
  });

  it("gives a new province its predecessors' subtrees before it existed", () => {
    expect(covered(edges, 20, '2024-09-30')).toEqual([10, 11, 100, 110]);
  });

  it('keeps an old province covering its own subtree after it ended', () => {
    expect(covered(edges, 10, '2025-09-30')).toEqual([10, 100]);
  });

  it('maps an abolished district with no lineage through its parent', () => {
    expect(covered(edges, 20, '2026-01-01')).toContain(100);
  });

  it('merges equal neighbouring intervals into one edge', () => {
    const ministrySelf = edges.filter((e) => e.ancestorId === 1 && e.descendantId === 1);
    expect(ministrySelf).toHaveLength(1);
  });
});
