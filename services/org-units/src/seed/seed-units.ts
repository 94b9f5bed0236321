import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { bulkInsert } from '@thads/kit';
import { rebuildRollupEdges } from '../hierarchy/rollup-edges.repository';
import { generateUnits, type GeneratedUnits, type ProvinceData, type UnitGeneratorOptions } from './generate-units';

/** The province list shipped with the service (a copy of the shared data set). */
export function loadProvinceData(): ProvinceData {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', 'data', 'provinces-2025.json'), 'utf8')) as ProvinceData;
}

export interface UnitSeedResult extends GeneratedUnits {
  rollupEdges: number;
}

/** Writes the generated units and lineage and builds the rollup edges, in one transaction. */
export async function seedUnits(db: DataSource, options: UnitGeneratorOptions = {}, data: ProvinceData = loadProvinceData()): Promise<UnitSeedResult> {
  const generated = generateUnits(data, options);
  const rollupEdges = await db.transaction(async (tx) => {
    await tx.query('TRUNCATE org_units.rollup_edge, org_units.lineage, org_units.org_unit');
    await bulkInsert(
      tx,
      'org_units.org_unit',
      [
        { name: 'id', type: 'int' },
        { name: 'code', type: 'text' },
        { name: 'name', type: 'text' },
        { name: 'name_folded', type: 'text' },
        { name: 'type', type: 'text' },
        { name: 'ward_kind', type: 'text' },
        { name: 'parent_id', type: 'int' },
        { name: 'valid_from', type: 'date' },
        { name: 'valid_to', type: 'date' },
      ],
      generated.units.map((u) => [u.id, u.code, u.name, u.nameFolded, u.type, u.wardKind, u.parentId, u.validFrom, u.validTo]),
    );
    await bulkInsert(
      tx,
      'org_units.lineage',
      [
        { name: 'from_unit_id', type: 'int' },
        { name: 'to_unit_id', type: 'int' },
        { name: 'kind', type: 'text' },
        { name: 'effective_on', type: 'date' },
      ],
      generated.lineage.map((l) => [l.fromUnitId, l.toUnitId, l.kind, l.effectiveOn]),
    );
    return rebuildRollupEdges(tx);
  });
  return { ...generated, rollupEdges };
}
