import { OrgUnitType, WardKind } from '../units/org-unit-type';
import { apportion, generateUnits, leafUnits } from './generate-units';
import { loadProvinceData } from './seed-units';

describe('generateUnits', () => {
  const data = loadProvinceData();
  const { units, lineage } = generateUnits(data);
  const count = (pred: (u: (typeof units)[number]) => boolean) => units.filter(pred).length;

  it('makes the ministry, 63 old and 34 new provinces, about 700 districts with about 10,600 communes, and 3,321 wards', () => {
    expect(count((u) => u.type === OrgUnitType.MINISTRY)).toBe(1);
    expect(count((u) => u.type === OrgUnitType.PROVINCE && u.validTo === '2025-07-01')).toBe(63);
    expect(count((u) => u.type === OrgUnitType.PROVINCE && u.validTo === null)).toBe(34);
    expect(count((u) => u.type === OrgUnitType.DISTRICT)).toBe(705);
    expect(count((u) => u.type === OrgUnitType.WARD && u.validTo === null)).toBe(3321);
    // The old communes: three or four a new ward, 10,594 (about the real 10,600 before 2025).
    expect(count((u) => u.type === OrgUnitType.WARD && u.validTo === '2025-07-01')).toBe(10594);
  });

  it('gives the official numbers of communes, wards and special zones', () => {
    const current = (kind: WardKind) => count((u) => u.wardKind === kind && u.validTo === null);
    expect(current(WardKind.COMMUNE)).toBe(2621);
    expect(current(WardKind.WARD)).toBe(687);
    expect(current(WardKind.SPECIAL_ZONE)).toBe(13);
  });

  const byId = new Map(units.map((u) => [u.id, u]));
  const provinceLineage = lineage.filter((l) => byId.get(l.fromUnitId)!.type === OrgUnitType.PROVINCE);
  const communeLineage = lineage.filter((l) => byId.get(l.fromUnitId)!.type === OrgUnitType.WARD);
  const oldCommunes = units.filter((u) => u.type === OrgUnitType.WARD && u.validTo !== null);

  it('leads every old province to exactly one new province', () => {
    // 63 edges of provinces; the other 10,594 lead the old communes into wards (below).
    expect(lineage).toHaveLength(63 + 10594);
    expect(provinceLineage).toHaveLength(63);
    expect(new Set(provinceLineage.map((l) => l.fromUnitId)).size).toBe(63);
  });

  it('puts the old communes under the old districts, at least one a district, named like the wards', () => {
    const perDistrict = new Map<number, number>();
    for (const c of oldCommunes) {
      const district = byId.get(c.parentId!)!;
      expect(district).toMatchObject({ type: OrgUnitType.DISTRICT, validTo: '2025-07-01' });
      expect(c).toMatchObject({ validFrom: '1900-01-01', validTo: '2025-07-01' });
      expect(c.name).toMatch(/^(Xã|Phường) \S/);
      perDistrict.set(district.id, (perDistrict.get(district.id) ?? 0) + 1);
    }
    expect(perDistrict.size).toBe(705);
    const communeAndWardCodes = units.filter((u) => u.type === OrgUnitType.WARD).map((u) => u.code);
    expect(new Set(communeAndWardCodes).size).toBe(communeAndWardCodes.length);
  });

  it('merges every old commune into exactly one ward of the new province that continues its old province, and continues every ward', () => {
    expect(communeLineage).toHaveLength(oldCommunes.length);
    expect(new Set(communeLineage.map((l) => l.fromUnitId)).size).toBe(oldCommunes.length);
    const successorOf = new Map(provinceLineage.map((l) => [l.fromUnitId, l.toUnitId]));
    const perWard = new Map<number, number>();
    for (const l of communeLineage) {
      const commune = byId.get(l.fromUnitId)!;
      const ward = byId.get(l.toUnitId)!;
      expect(ward).toMatchObject({ type: OrgUnitType.WARD, validFrom: '2025-07-01', validTo: null });
      expect(ward.parentId).toBe(successorOf.get(byId.get(commune.parentId!)!.parentId!));
      expect(l).toMatchObject({ kind: 'MERGED_INTO', effectiveOn: '2025-07-01' });
      perWard.set(ward.id, (perWard.get(ward.id) ?? 0) + 1);
    }
    expect(perWard.size).toBe(3321);
    expect([...perWard.values()].every((n) => n === 3 || n === 4)).toBe(true);
    // The districts carry no lineage: their history counts through their communes only.
    expect(lineage.filter((l) => byId.get(l.fromUnitId)!.type === OrgUnitType.DISTRICT)).toEqual([]);
  });

  it('records facts at the old communes before the reorganization and at the wards after, never at a district', () => {
    const leaves = leafUnits(units);
    expect(leaves).toHaveLength(10594 + 3321);
    expect(leaves.every((l) => byId.get(l.id)!.type === OrgUnitType.WARD)).toBe(true);
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
