/** The subgraph whose data changes only with the hierarchy (a rebuild announces it as a change of everything). */
const HIERARCHY_SUBGRAPH = 'org-units';

/**
 * What one answer was computed from, noted at each subgraph fetch: the units whose figures it
 * read through entity fetches (`_entities` with their ids), or everything, when it read a root
 * field of a figures subgraph (a ranking, a case by id). Org-units' structure changes only with
 * the hierarchy, which is announced as a change of everything.
 */
export class Dependencies {
  readonly units = new Set<number>();
  everything = false;

  /** One subgraph fetch: its name and variables (entity fetches carry `representations`). */
  noteFetch(subgraph: string, variables: Record<string, unknown> | undefined): void {
    if (subgraph === HIERARCHY_SUBGRAPH || this.everything) return;
    const representations = variables?.representations;
    if (!Array.isArray(representations)) {
      this.everything = true;
      return;
    }
    for (const r of representations as { __typename?: unknown; id?: unknown }[]) {
      const id = Number(r.id);
      if (r.__typename !== 'OrgUnit' || !Number.isSafeInteger(id)) {
        this.everything = true;
        return;
      }
      this.units.add(id);
    }
  }

  /** Whether a change of these units (every unit whose figures they count in), or of everything, touches it. */
  touchedBy(change: ReadonlySet<number> | 'all'): boolean {
    if (change === 'all' || this.everything) return true;
    const [small, large] = change.size < this.units.size ? [change, this.units] : [this.units, change];
    for (const id of small) if (large.has(id)) return true;
    return false;
  }
}
