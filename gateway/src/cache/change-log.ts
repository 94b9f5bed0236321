/**
 * A committed change as the caches see it: the subgraph whose data changed, the units whose
 * figures it touched (with every unit they count in, on any date) and the earliest day it
 * touches, or everything (a rewrite, a rebuilt hierarchy, a lost connection).
 */
export type CacheChange = { subgraph: string; units: ReadonlySet<number>; from?: string } | 'all';

/** Whether a change starting on `from` can change figures read up to `lastDay` (unknown dates: yes). */
export function reaches(change: { from?: string }, lastDay: string): boolean {
  return change.from === undefined || change.from <= lastDay;
}

/** How long a computation may run and still be checked against the changes announced meanwhile. */
const HORIZON_MS = 60_000;

/**
 * The changes announced lately, numbered: a computation notes the generation when it starts,
 * and before keeping its result asks whether a change since then touches what it read. A
 * computation older than the log's horizon is treated as touched.
 */
export class ChangeLog {
  generation = 0;
  private events: { generation: number; change: CacheChange; at: number }[] = [];

  record(change: CacheChange, now = Date.now()): void {
    this.generation++;
    this.events.push({ generation: this.generation, change, at: now });
    if (this.events[0]!.at < now - HORIZON_MS) this.events = this.events.filter((e) => e.at >= now - HORIZON_MS);
  }

  /** The changes announced after generation `since`, up to `until`; 'all' when the log no longer reaches back that far. */
  between(since: number, until: number): CacheChange[] | 'all' {
    if (since >= until) return [];
    const first = this.events[0];
    if (!first || first.generation > since + 1) return 'all';
    return this.events.filter((e) => e.generation > since && e.generation <= until).map((e) => e.change);
  }

  /** Whether a change announced after generation `since`, up to `until`, satisfies `touches`. */
  changedBetween(since: number, until: number, touches: (change: CacheChange) => boolean): boolean {
    if (since >= until) return false;
    const first = this.events[0];
    if (!first || first.generation > since + 1) return true; // the log no longer reaches back that far
    for (const e of this.events) if (e.generation > since && e.generation <= until && touches(e.change)) return true;
    return false;
  }
}
