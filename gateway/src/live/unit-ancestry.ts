import { ROLLUP_EDGE_TABLE } from '@thads/kit';

type Query = (text: string, values: unknown[]) => Promise<{ rows: unknown[] }>;

const EDGES_SQL = `SELECT descendant_id, array_agg(DISTINCT ancestor_id) AS ids FROM ${ROLLUP_EDGE_TABLE}`;

/**
 * Every unit whose figures include a changed unit on some date, through the rollup
 * edges (its province, the nation, and the new units its lineage maps into). The whole
 * edge table (some 13,000 rows for 4,000 units) is held in memory and read again in the
 * background once it is a minute old, so a burst of changes costs no database round trip:
 * the hierarchy changes with a reorganization, not with each write. A unit the map does
 * not know yet (created since the last read) is read on its own.
 */
export class UnitAncestry {
  private ancestors = new Map<number, number[]>();
  private loadedAt = -Infinity;
  private loading?: { generation: number; done: Promise<void> };
  /** Counts the rebuilds heard: a read started before the last one is not kept. */
  private generation = 0;

  constructor(
    private readonly query: Query,
    private readonly maxAgeMs = 60_000,
  ) {}

  async of(unitIds: Iterable<number>): Promise<Set<number>> {
    if (this.loadedAt === -Infinity) await this.reload();
    else if (Date.now() - this.loadedAt > this.maxAgeMs) this.reload().catch(() => {}); // the previous map serves meanwhile; the next call retries
    const out = new Set<number>();
    const missing: number[] = [];
    for (const id of unitIds) {
      const known = this.ancestors.get(id);
      if (known) for (const a of known) out.add(a);
      else missing.push(id);
    }
    if (missing.length) {
      const { rows } = await this.query(`${EDGES_SQL} WHERE descendant_id = ANY($1::int[]) GROUP BY descendant_id`, [missing]);
      const found = new Map((rows as { descendant_id: number; ids: number[] }[]).map((r) => [r.descendant_id, r.ids]));
      for (const id of missing) {
        const ids = found.get(id) ?? [id];
        this.ancestors.set(id, ids);
        ids.forEach((a) => out.add(a));
      }
    }
    return out;
  }

  /** The hierarchy was rebuilt: the edges are read again (at once, in the background). */
  forget(): void {
    this.generation++;
    this.ancestors = new Map();
    this.loadedAt = -Infinity;
    this.warm();
  }

  /**
   * Reads the edge table now, in the background: the first change after a start, a reconnect
   * or a rebuild then finds the map ready instead of waiting for the whole table (~100 ms for
   * the 14,000 units with the old communes). A failure leaves the next call to read it.
   */
  warm(): void {
    this.reload().catch(() => {});
  }

  /**
   * Reads the whole edge table; one read at a time. A read under way when the hierarchy is
   * rebuilt (its edges may be the old ones) is not kept: forget() has started another.
   */
  private reload(): Promise<void> {
    const generation = this.generation;
    const current = this.loading;
    if (current && current.generation === generation) return current.done;
    const loading = {
      generation,
      done: (async () => {
        const { rows } = await this.query(`${EDGES_SQL} GROUP BY descendant_id`, []);
        // Rebuilt meanwhile: these may be the old edges; the rebuild's own read installs the new ones.
        if (this.generation !== generation) return;
        this.ancestors = new Map((rows as { descendant_id: number; ids: number[] }[]).map((r) => [r.descendant_id, r.ids]));
        this.loadedAt = Date.now();
      })().finally(() => {
        if (this.loading === loading) this.loading = undefined;
      }),
    };
    this.loading = loading;
    return loading.done;
  }
}

const onConnection = new WeakMap<object, UnitAncestry>();

/**
 * The one ancestry map of a notices connection: the caches and the live feed listening on it
 * share it, so the edges are read once, and forgotten together when the hierarchy is rebuilt.
 */
export function ancestryOn(notices: { query: Query }): UnitAncestry {
  let ancestry = onConnection.get(notices);
  if (!ancestry) onConnection.set(notices, (ancestry = new UnitAncestry((text, values) => notices.query(text, values))));
  return ancestry;
}
