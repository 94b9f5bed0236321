import { Prng, foldVietnamese, seedFrom } from '@thads/kit';
import { LineageKind } from '../lineage/lineage.entity';
import { OrgUnitType, WardKind } from '../units/org-unit-type';
import { FIRST_SYLLABLES, SECOND_SYLLABLES } from './place-names';

/** The shape of `data/provinces-2025.json`. */
export interface ProvinceData {
  effectiveFrom: string;
  before: { name: string; code: string }[];
  after: { name: string; code: string; predecessors: string[] }[];
  communeLevelUnitsAfter: { total: number; communes: number; wards: number; specialZones: number };
}

export interface UnitRow {
  id: number;
  code: string;
  name: string;
  nameFolded: string;
  type: OrgUnitType;
  wardKind: WardKind | null;
  parentId: number | null;
  validFrom: string;
  validTo: string | null;
}

export interface LineageRow {
  fromUnitId: number;
  toUnitId: number;
  kind: LineageKind;
  effectiveOn: string;
}

export interface GeneratedUnits {
  units: UnitRow[];
  lineage: LineageRow[];
}

/** Units that existed before records began start here. */
export const EARLIEST = '1900-01-01';
export const MINISTRY_ID = 1;
const OLD_PROVINCE_BASE = 1000;
const NEW_PROVINCE_BASE = 2000;
const DISTRICT_BASE = 10000;
const WARD_BASE = 100000;
const COMMUNE_BASE = 200000;

export interface UnitGeneratorOptions {
  /** Historic districts to spread over the 63 old provinces. @default 705 */
  districts?: number;
}

function row(partial: Omit<UnitRow, 'nameFolded'>): UnitRow {
  return { ...partial, nameFolded: foldVietnamese(partial.name) };
}

/** Shares `total` over `weights` so that the parts are whole and sum to `total` exactly. */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const raw = weights.map((w) => (total * w) / sum);
  const parts = raw.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left-- <= 0) break;
    parts[i]!++;
  }
  return parts;
}

function placeNames(rng: Prng, count: number): string[] {
  const seen = new Set<string>();
  const names: string[] = [];
  while (names.length < count) {
    let name = `${rng.pick(FIRST_SYLLABLES)} ${rng.pick(SECOND_SYLLABLES)}`;
    if (name.split(' ')[0] === name.split(' ')[1]) continue;
    if (seen.has(name)) name = `${name} ${names.length + 1}`;
    seen.add(name);
    names.push(name);
  }
  return names;
}

/**
 * The ministry, the 63 old and 34 new provinces with their lineage, generated historic
 * districts under the old ones with their old communes (until the reorganization), and
 * generated wards (communes, wards, special zones) under the new ones. Every old commune is
 * merged into exactly one ward of its province's successor and every ward continues three or
 * four old communes, so that every ward has a previous year; the districts have no lineage
 * (their communes carry their history), so that nothing counts twice (docs/domain.md).
 * Deterministic: the same data file gives the same units, ids and lineage.
 */
export function generateUnits(data: ProvinceData, options: UnitGeneratorOptions = {}): GeneratedUnits {
  const reorg = data.effectiveFrom;
  const units: UnitRow[] = [
    row({
      id: MINISTRY_ID,
      code: 'moj',
      name: 'Bộ Tư pháp – Cục Quản lý thi hành án dân sự',
      type: OrgUnitType.MINISTRY,
      wardKind: null,
      parentId: null,
      validFrom: EARLIEST,
      validTo: null,
    }),
  ];
  const lineage: LineageRow[] = [];

  const oldByCode = new Map<string, number>();
  data.before.forEach((p, i) => {
    const id = OLD_PROVINCE_BASE + i + 1;
    oldByCode.set(p.code, id);
    units.push(row({ id, code: p.code, name: p.name, type: OrgUnitType.PROVINCE, wardKind: null, parentId: MINISTRY_ID, validFrom: EARLIEST, validTo: reorg }));
  });

  const newIds: number[] = [];
  data.after.forEach((p, i) => {
    const id = NEW_PROVINCE_BASE + i + 1;
    newIds.push(id);
    units.push(row({ id, code: p.code, name: p.name, type: OrgUnitType.PROVINCE, wardKind: null, parentId: MINISTRY_ID, validFrom: reorg, validTo: null }));
    for (const code of p.predecessors) {
      const from = oldByCode.get(code);
      if (from === undefined) throw new Error(`province data: ${p.code} names unknown predecessor ${code}`);
      const old = data.before.find((b) => b.code === code)!;
      const kind = p.predecessors.length > 1 ? LineageKind.MERGED_INTO : old.name === p.name ? LineageKind.CONTINUED_AS : LineageKind.RENAMED;
      lineage.push({ fromUnitId: from, toUnitId: id, kind, effectiveOn: reorg });
    }
  });

  const rng = new Prng(seedFrom('org-units'));
  const districtCounts = apportion(
    options.districts ?? 705,
    data.before.map(() => 8 + rng.int(0, 8)),
  );
  let districtId = DISTRICT_BASE;
  data.before.forEach((p, i) => {
    const parentId = oldByCode.get(p.code)!;
    placeNames(new Prng(seedFrom(`districts:${p.code}`)), districtCounts[i]!).forEach((place, j) => {
      const prefix = j === 0 ? 'Thành phố' : j % 7 === 3 ? 'Thị xã' : 'Huyện';
      units.push(
        row({
          id: ++districtId,
          code: `${p.code}-h${String(j + 1).padStart(2, '0')}`,
          name: `Chi cục THADS ${prefix} ${place}`,
          type: OrgUnitType.DISTRICT,
          wardKind: null,
          parentId,
          validFrom: EARLIEST,
          validTo: reorg,
        }),
      );
    });
  });

  const { communes, wards, specialZones, total } = data.communeLevelUnitsAfter;
  const wardCounts = apportion(
    total,
    data.after.map((p) => p.predecessors.length * 3 + rng.int(0, 2)),
  );
  // Exactly the official numbers of each kind, shuffled deterministically over the provinces.
  const kinds: WardKind[] = [
    ...Array<WardKind>(specialZones).fill(WardKind.SPECIAL_ZONE),
    ...Array<WardKind>(wards).fill(WardKind.WARD),
    ...Array<WardKind>(communes).fill(WardKind.COMMUNE),
  ];
  if (kinds.length !== total) throw new Error(`province data: ${communes} + ${wards} + ${specialZones} is not ${total}`);
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
  }
  let wardId = WARD_BASE;
  let k = 0;
  data.after.forEach((p, i) => {
    placeNames(new Prng(seedFrom(`wards:${p.code}`)), wardCounts[i]!).forEach((place, j) => {
      const kind = kinds[k++]!;
      const prefix = kind === WardKind.SPECIAL_ZONE ? 'Đặc khu' : kind === WardKind.WARD ? 'Phường' : 'Xã';
      units.push(
        row({
          id: ++wardId,
          code: `${p.code}-x${String(j + 1).padStart(3, '0')}`,
          name: `${prefix} ${place}`,
          type: OrgUnitType.WARD,
          wardKind: kind,
          parentId: newIds[i]!,
          validFrom: reorg,
          validTo: null,
        }),
      );
    });
  });
  lineage.push(...oldCommunes(units, lineage, reorg));
  return { units, lineage };
}

/**
 * The old communes (until `reorg`), added to `units`, and their lineage: each new province's
 * wards, in id order, continue three or four old communes each (about 10,600 in all, as
 * before 2025), spread evenly in order over the old districts of the provinces it continues,
 * so that every district keeps at least one commune. A commune takes its ward's kind (Xã or
 * Phường; an island zone's communes are Xã).
 */
function oldCommunes(units: UnitRow[], provinceLineage: readonly LineageRow[], reorg: string): LineageRow[] {
  // The new province that continues each old one: the first named, should one ever lead to two.
  const successor = new Map<number, number>();
  for (const l of provinceLineage) if (!successor.has(l.fromUnitId)) successor.set(l.fromUnitId, l.toUnitId);
  const districtsOf = new Map<number, UnitRow[]>();
  const wardsOf = new Map<number, UnitRow[]>();
  const push = (map: Map<number, UnitRow[]>, key: number, u: UnitRow) => (map.get(key) ?? map.set(key, []).get(key)!).push(u);
  for (const u of [...units].sort((a, b) => a.id - b.id)) {
    if (u.parentId === null) continue;
    const newProvince = successor.get(u.parentId);
    if (u.type === OrgUnitType.DISTRICT && newProvince !== undefined) push(districtsOf, newProvince, u);
    if (u.type === OrgUnitType.WARD) push(wardsOf, u.parentId, u);
  }
  const rng = new Prng(seedFrom('old-communes'));
  const lineage: LineageRow[] = [];
  let id = COMMUNE_BASE;
  for (const [province, districts] of [...districtsOf].sort((a, b) => a[0] - b[0])) {
    const wards = wardsOf.get(province) ?? [];
    if (wards.length === 0) throw new Error(`province data: new province ${province} has no wards to continue its old communes`);
    // Which ward each of the province's old communes merges into, in order.
    const into = wards.flatMap((w) => Array<UnitRow>(rng.chance(0.2) ? 4 : 3).fill(w));
    const perDistrict = apportion(
      into.length,
      districts.map(() => 1),
    );
    let k = 0;
    districts.forEach((district, d) => {
      placeNames(new Prng(seedFrom(`communes:${district.code}`)), perDistrict[d]!).forEach((place, j) => {
        const ward = into[k++]!;
        const kind = ward.wardKind === WardKind.WARD ? WardKind.WARD : WardKind.COMMUNE;
        units.push(
          row({
            id: ++id,
            code: `${district.code}-x${String(j + 1).padStart(2, '0')}`,
            name: `${kind === WardKind.WARD ? 'Phường' : 'Xã'} ${place}`,
            type: OrgUnitType.WARD,
            wardKind: kind,
            parentId: district.id,
            validFrom: EARLIEST,
            validTo: reorg,
          }),
        );
        lineage.push({ fromUnitId: id, toUnitId: ward.id, kind: LineageKind.MERGED_INTO, effectiveOn: reorg });
      });
    });
  }
  return lineage;
}

/**
 * The units where facts are recorded, each while it is valid: the districts and wards under
 * which no unit lies (the old communes before the reorganization, the wards after; a
 * district with communes is not one, so that its history is recorded at its communes only).
 */
export function leafUnits<U extends { id: number; type: string; parentId: number | null; validFrom: string; validTo: string | null }>(
  units: readonly U[],
): { id: number; validFrom: string; validTo: string | null }[] {
  const parents = new Set(units.map((u) => u.parentId));
  return units
    .filter((u) => (u.type === OrgUnitType.DISTRICT || u.type === OrgUnitType.WARD) && !parents.has(u.id))
    .map((u) => ({ id: u.id, validFrom: u.validFrom, validTo: u.validTo }));
}
