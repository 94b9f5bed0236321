import { ROLLUP_EDGE_TABLE } from '@thads/kit';

type Query = (text: string, values: unknown[]) => Promise<{ rows: unknown[] }>;

/**
 * Every unit whose figures include a changed unit on some date, through the rollup
 * edges (its province, the nation, and the new units its lineage maps into), cached a
 * minute a unit: the hierarchy changes with a reorganization, not with each write.
 */
export class UnitAncestry {
  private readonly cache = new Map<number, { ids: number[]; at: number }>();

  constructor(private readonly query: Query) {}

  async of(unitIds: Iterable<number>): Promise<Set<number>> {
    const now = Date.now();
    const out = new Set<number>();
    const missing: number[] = [];
    for (const id of unitIds) {
      const cached = this.cache.get(id);
      if (cached && now - cached.at < 60000) cached.ids.forEach((a) => out.add(a));
      else missing.push(id);
    }
    if (missing.length) {
      const { rows } = await this.query(`SELECT descendant_id, array_agg(DISTINCT ancestor_id) AS ids FROM ${ROLLUP_EDGE_TABLE} WHERE descendant_id = ANY($1::int[]) GROUP BY descendant_id`, [missing]);
      const found = new Map((rows as { descendant_id: number; ids: number[] }[]).map((r) => [r.descendant_id, r.ids]));
      for (const id of missing) {
        const ids = found.get(id) ?? [id];
        this.cache.set(id, { ids, at: now });
        ids.forEach((a) => out.add(a));
      }
    }
    return out;
  }
}
