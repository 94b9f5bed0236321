import { reaches, type CacheChange } from './change-log';
import { lastDayRead } from './periods';

/** The subgraph whose data changes only with the hierarchy (a rebuild announces it as a change of everything). */
export const HIERARCHY_SUBGRAPH = 'org-units';

/** The units of a fetch's entity representations, or undefined when they are not all OrgUnits. */
export function entityUnits(variables: Record<string, unknown> | undefined): number[] | undefined {
  const representations = variables?.representations;
  if (!Array.isArray(representations)) return undefined;
  const ids: number[] = [];
  for (const r of representations as { __typename?: unknown; id?: unknown }[]) {
    const id = Number(r.id);
    if (r.__typename !== 'OrgUnit' || !Number.isSafeInteger(id)) return undefined;
    ids.push(id);
  }
  return ids;
}

/**
 * What one answer was computed from, noted at each subgraph fetch: per figures subgraph, the
 * units whose figures it read through entity fetches, or everything of that subgraph when it
 * read a root field (a ranking, a case by id), and the last day of the periods it read.
 * Org-units' structure changes only with the hierarchy, which is announced as a change of
 * everything.
 */
export class Dependencies {
  /** Subgraphs read through a root field: any change of theirs touches the answer. */
  readonly roots = new Set<string>();
  /** Subgraph → units read through entity fetches. */
  readonly entities = new Map<string, Set<number>>();
  /** Subgraph → the last day whose figures were read there. */
  private readonly lastDays = new Map<string, string>();

  noteFetch(subgraph: string, query: string | undefined, variables: Record<string, unknown> | undefined): void {
    if (subgraph === HIERARCHY_SUBGRAPH) return;
    const last = lastDayRead(query ?? '', variables);
    if (last > (this.lastDays.get(subgraph) ?? '')) this.lastDays.set(subgraph, last);
    if (this.roots.has(subgraph)) return;
    const ids = entityUnits(variables);
    if (!ids) {
      this.roots.add(subgraph);
      this.entities.delete(subgraph);
      return;
    }
    let mine = this.entities.get(subgraph);
    if (!mine) this.entities.set(subgraph, (mine = new Set()));
    for (const id of ids) mine.add(id);
  }

  touchedBy(change: CacheChange): boolean {
    if (change === 'all') return true;
    const last = this.lastDays.get(change.subgraph);
    if (last === undefined || !reaches(change, last)) return false;
    if (this.roots.has(change.subgraph)) return true;
    const mine = this.entities.get(change.subgraph);
    if (!mine) return false;
    const [small, large] = change.units.size < mine.size ? [change.units, mine] : [mine, change.units];
    for (const id of small) if (large.has(id)) return true;
    return false;
  }
}
