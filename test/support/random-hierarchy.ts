import { Prng } from '@thads/kit';
import type { ProvinceData } from '@thads/org-units';

/**
 * A small random country: 3–6 old provinces, merged into 1–3 new ones (at least one
 * merger of two or more), with a few wards after the reorganization.
 */
export function randomProvinceData(seed: number): { data: ProvinceData; districts: number } {
  const rng = new Prng(seed);
  const oldCount = rng.int(3, 6);
  const before = Array.from({ length: oldCount }, (_v, i) => ({ name: `Tỉnh Cũ ${i + 1}`, code: `cu-${i + 1}` }));
  const newCount = rng.int(1, Math.min(3, oldCount - 1));
  const groups: string[][] = Array.from({ length: newCount }, () => []);
  before.forEach((p, i) => groups[i < newCount ? i : rng.int(0, newCount - 1)]!.push(p.code));
  if (groups.every((g) => g.length < 2)) groups[0]!.push(...groups.splice(1, 1)[0]!);
  const after = groups.filter((g) => g.length).map((g, i) => ({ name: `Tỉnh Mới ${i + 1}`, code: `moi-${i + 1}`, predecessors: g }));
  const communes = rng.int(4, 9);
  const wards = rng.int(1, 3);
  const specialZones = rng.int(0, 1);
  return {
    data: { effectiveFrom: '2025-07-01', before, after, communeLevelUnitsAfter: { total: communes + wards + specialZones, communes, wards, specialZones } },
    districts: oldCount * rng.int(1, 3),
  };
}
