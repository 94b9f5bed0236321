import type { EntityManager } from 'typeorm';
import { bulkInsert, rebuildRegisteredRollups, refreshRollupFanOut } from '@thads/kit';
import { computeRollupEdges, type LineageLink, type UnitValidity } from './rollup-edges';
import { refreshRollupEpochs } from './rollup-epochs';

/**
 * Recomputes `org_units.rollup_edge`, the epochs and the fan-out from the units and their lineage, and
 * sums every registered rollup again on them, inside the caller's transaction: readers see
 * the old edges and figures or the new ones, never a mix (writers wait for it).
 */
export async function rebuildRollupEdges(tx: EntityManager): Promise<number> {
  const units: UnitValidity[] = (
    await tx.query(`SELECT id, parent_id, to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_to, 'YYYY-MM-DD') AS valid_to FROM org_units.org_unit`)
  ).map((r: { id: number; parent_id: number | null; valid_from: string; valid_to: string | null }) => ({
    id: r.id,
    parentId: r.parent_id,
    validFrom: r.valid_from,
    validTo: r.valid_to,
  }));
  const lineage: LineageLink[] = (await tx.query(`SELECT from_unit_id, to_unit_id FROM org_units.lineage`)).map(
    (r: { from_unit_id: number; to_unit_id: number }) => ({ fromUnitId: r.from_unit_id, toUnitId: r.to_unit_id }),
  );
  const edges = computeRollupEdges(units, lineage);
  await tx.query(`DELETE FROM org_units.rollup_edge`);
  await bulkInsert(
    tx,
    'org_units.rollup_edge',
    [
      { name: 'ancestor_id', type: 'int' },
      { name: 'descendant_id', type: 'int' },
      { name: 'valid_from', type: 'date' },
      { name: 'valid_to', type: 'date' },
    ],
    edges.map((e) => [e.ancestorId, e.descendantId, e.validFrom, e.validTo]),
  );
  // Every rollup joins these edges: without statistics (autovacuum may be off or late) the
  // planner takes a province's ~120 edges for ~7 and loops over index scans instead of hashing.
  await tx.query('ANALYZE org_units.rollup_edge');
  await refreshRollupEpochs(tx);
  await refreshRollupFanOut(tx);
  // The services' rollups were summed on the old edges: summed again before this commits.
  await rebuildRegisteredRollups(tx);
  return edges.length;
}
