import { OrgUnitType, WardKind } from '../units/org-unit-type';
import { apportion, generateUnits } from './generate-units';
import { loadProvinceData } from './seed-units';

describe('generateUnits', () => {
  const data = loadProvinceData();
  const { units, lineage } = generateUnits(data);
  const count = (pred: (u: (typeof units)[number]) => boolean) => units.filter(pred).length;

  it('makes the ministry, 63 old and 34 new provinces, about 700 districts and 3,321 wards', () => {
    expect(count((u) => u.type === OrgUnitType.MINISTRY)).toBe(1);
    expect(count((u) => u.type === OrgUnitType.PROVINCE && u.validTo === '2025-07-01')).toBe(63);
    expect(count((u) => u.type === OrgUnitType.PROVINCE && u.validTo === null)).toBe(34);
    expect(count((u) => u.type === OrgUnitType.DISTRICT)).toBe(705);
    expect(count((u) => u.type === OrgUnitType.WARD)).toBe(3321);
  });

  it('gives the official numbers of communes, wards and special zones', () => {
    expect(count((u) => u.wardKind === WardKind.COMMUNE)).toBe(2621);
    expect(count((u) => u.wardKind === WardKind.WARD)).toBe(687);
    expect(count((u) => u.wardKind === WardKind.SPECIAL_ZONE)).toBe(13);
  });

  const byId = new Map(units.map((u) => [u.id, u]));
  const provinceLineage = lineage.filter((l) => byId.get(l.fromUnitId)!.type === OrgUnitType.PROVINCE);
  const districtLineage = lineage.filter((l) => byId.get(l.fromUnitId)!.type === OrgUnitType.DISTRICT);

  it('leads every old province to exactly one new province', () => {
    // 63 edges of provinces; the other 705 lead the districts into wards (below).
    expect(lineage).toHaveLength(63 + 705);
    expect(provinceLineage).toHaveLength(63);
    expect(new Set(provinceLineage.map((l) => l.fromUnitId)).size).toBe(63);
  });

  it('merges every old district into exactly one ward of the new province that continues its old province', () => {
    expect(districtLineage).toHaveLength(705);
    expect(new Set(districtLineage.map((l) => l.fromUnitId)).size).toBe(705);
    const successorOf = new Map(provinceLineage.map((l) => [l.fromUnitId, l.toUnitId]));
    for (const l of districtLineage) {
      const district = byId.get(l.fromUnitId)!;
      const ward = byId.get(l.toUnitId)!;
      expect(ward.type).toBe(OrgUnitType.WARD);
      expect(ward.parentId).toBe(successorOf.get(district.parentId!));
      expect(l).toMatchObject({ kind: 'MERGED_INTO', effectiveOn: '2025-07-01' });
    }
    // Every province has more wards than its predecessors had districts: one district a ward.
    expect(new Set(districtLineage.map((l) => l.toUnitId)).size).toBe(705);
  });

  it('keeps Vietnamese names with diacritics and a folded form for search', () => {
    const hcm = units.find((u) => u.code === 'ho-chi-minh-city' && u.validTo === null)!;
    expect(hcm.name).toBe('Hồ Chí Minh City');
    expect(hcm.nameFolded).toBe('ho chi minh city');
    expect(units.every((u) => u.name.length > 0 && u.nameFolded === u.nameFolded.toLowerCase())).toBe(true);
  });

  it('is deterministic', () => {
    expect(generateUnits(data)).toEqual({ units, lineage });
  });
});

describe('apportion', () => {
  it('shares a total into whole parts that sum to it', () => {
    const parts = apportion(3321, [3, 1, 1, 2]);
    expect(parts.reduce((a, b) => a + b, 0)).toBe(3321);
    expect(parts[0]).toBeGreaterThan(parts[1]!);
  });
});
