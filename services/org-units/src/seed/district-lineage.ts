import { LineageKind } from '../lineage/lineage.entity';
import { OrgUnitType } from '../units/org-unit-type';
import type { LineageRow, UnitRow } from './generate-units';

/**
 * Lineage from the old districts to the new wards, so that a ward's drill-down has a
 * previous year. Each district is merged into exactly one ward, of the new province that
 * continues its old province: its history then counts under that one ward, and through it
 * in the same province and nation as before, never twice (docs/domain.md). The districts of
 * a new province's predecessors are spread evenly, in id order, over its wards in id order.
 */
export function districtLineage(units: readonly UnitRow[], provinceLineage: readonly LineageRow[], effectiveOn: string): LineageRow[] {
  // The new province that continues each old one: the first named, should one ever lead to two.
  const successor = new Map<number, number>();
  for (const l of provinceLineage) if (!successor.has(l.fromUnitId)) successor.set(l.fromUnitId, l.toUnitId);
  const districtsOf = new Map<number, number[]>();
  const wardsOf = new Map<number, number[]>();
  const push = (map: Map<number, number[]>, key: number, id: number) => (map.get(key) ?? map.set(key, []).get(key)!).push(id);
  for (const u of [...units].sort((a, b) => a.id - b.id)) {
    if (u.parentId === null) continue;
    const newProvince = successor.get(u.parentId);
    if (u.type === OrgUnitType.DISTRICT && newProvince !== undefined) push(districtsOf, newProvince, u.id);
    if (u.type === OrgUnitType.WARD) push(wardsOf, u.parentId, u.id);
  }
  const lineage: LineageRow[] = [];
  for (const [province, districts] of districtsOf) {
    const wards = wardsOf.get(province) ?? [];
    // A new province without wards: its old districts keep counting through their old province.
    if (wards.length === 0) continue;
    districts.forEach((district, j) => {
      const ward = wards[Math.floor((j * wards.length) / districts.length)]!;
      lineage.push({ fromUnitId: district, toUnitId: ward, kind: LineageKind.MERGED_INTO, effectiveOn });
    });
  }
  return lineage;
}
