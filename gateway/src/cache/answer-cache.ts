import type { PlainResponse } from '@thads/kit';
import { Dependencies } from './dependencies';

/** One computed answer: what to send, whether it may be kept, and what it was read from. */
export interface Computed {
  response: PlainResponse;
  cacheable: boolean;
  dependencies: Dependencies;
}

interface Entry {
  response: PlainResponse;
  dependencies: Dependencies;
  bytes: number;
}

interface Flight {
  /** The generation when it started: it includes every change announced before. */
  since: number;
  done: Promise<Computed>;
}

/** A change announced since some generation: the units it touched, or everything. */
interface Event {
  generation: number;
  change: ReadonlySet<number> | 'all';
}

export interface AnswerCacheStats {
  hits: number;
  misses: number;
  joined: number;
  stored: number;
  invalidated: number;
  entries: number;
  bytes: number;
}

/**
 * Whole answers (status, headers, body) kept until a committed change touches what they were
 * read from, and served as they are: never stale by a timer, always current with the changes
 * this gateway has heard. A change of units drops the answers that read any of them; a change
 * of everything (a rebuild, a reconnection) drops them all.
 *
 * An answer computed while a change it depends on was announced is sent to the requests that
 * came before the change, never kept; a request that comes after waits for a computation that
 * started after it. Identical requests share one computation (a key has one in flight at a
 * time), so a burst of readers costs one execution, and a steady stream of writes costs at
 * most one execution a key per execution time.
 */
export class AnswerCache {
  private readonly entries = new Map<string, Entry>();
  private readonly byUnit = new Map<number, Set<string>>();
  private readonly onEverything = new Set<string>();
  private readonly flights = new Map<string, Flight>();
  private events: Event[] = [];
  private generation = 0;
  private bytes = 0;
  private enabled = true;
  readonly stats: AnswerCacheStats = { hits: 0, misses: 0, joined: 0, stored: 0, invalidated: 0, entries: 0, bytes: 0 };

  constructor(private readonly maxBytes: number) {}

  /** The answer for a key: kept, or computed once for every request waiting for it. */
  async answer(key: string, compute: () => Promise<Computed>): Promise<PlainResponse> {
    for (;;) {
      const kept = this.entries.get(key);
      if (kept) {
        this.stats.hits++;
        // Most recently used last: the oldest are dropped first when the cache is full.
        this.entries.delete(key);
        this.entries.set(key, kept);
        return kept.response;
      }
      const flight = this.flights.get(key);
      if (!flight) return this.start(key, compute);
      this.stats.joined++;
      const joinedAt = this.generation;
      const computed = await flight.done;
      if (!this.changedBetween(flight.since, joinedAt, computed.dependencies)) return computed.response;
      // A change it reads was announced before this request came: wait for a newer one.
    }
  }

  /** A committed change: the units it touched (with every unit they count in), or everything. */
  invalidate(change: ReadonlySet<number> | 'all'): void {
    this.generation++;
    if (this.flights.size) this.events.push({ generation: this.generation, change });
    if (change === 'all') {
      this.stats.invalidated += this.entries.size;
      this.clearEntries();
      return;
    }
    const keys = new Set(this.onEverything);
    for (const id of change) for (const key of this.byUnit.get(id) ?? []) keys.add(key);
    for (const key of keys) this.drop(key);
    this.stats.invalidated += keys.size;
  }

  /** Off while changes may be missed (the notices connection is down): nothing served from memory, nothing kept. */
  setEnabled(enabled: boolean): void {
    if (!enabled) this.invalidate('all');
    this.enabled = enabled;
  }

  get isEnabled(): boolean {
    return this.enabled;
  }

  private async start(key: string, compute: () => Promise<Computed>): Promise<PlainResponse> {
    this.stats.misses++;
    const flight: Flight = { since: this.generation, done: compute() };
    this.flights.set(key, flight);
    try {
      const computed = await flight.done;
      if (computed.cacheable && this.enabled && !this.changedBetween(flight.since, this.generation, computed.dependencies)) this.store(key, computed);
      return computed.response;
    } finally {
      this.flights.delete(key);
      this.trimEvents();
    }
  }

  /** Whether a change announced after `since` and up to `until` touches these dependencies. */
  private changedBetween(since: number, until: number, dependencies: Dependencies): boolean {
    if (since === until) return false;
    for (const e of this.events) if (e.generation > since && e.generation <= until && dependencies.touchedBy(e.change)) return true;
    return false;
  }

  /** Events older than every computation in flight can no longer matter. */
  private trimEvents(): void {
    if (!this.flights.size) {
      this.events = [];
      return;
    }
    const oldest = Math.min(...[...this.flights.values()].map((f) => f.since));
    if (this.events.length && this.events[0]!.generation <= oldest) this.events = this.events.filter((e) => e.generation > oldest);
  }

  private store(key: string, computed: Computed): void {
    const bytes = computed.response.body.length + 200;
    if (bytes > this.maxBytes / 4) return;
    this.drop(key);
    this.entries.set(key, { response: computed.response, dependencies: computed.dependencies, bytes });
    this.bytes += bytes;
    if (computed.dependencies.everything) this.onEverything.add(key);
    else for (const id of computed.dependencies.units) (this.byUnit.get(id) ?? this.byUnit.set(id, new Set()).get(id)!).add(key);
    this.stats.stored++;
    for (const [oldest] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.drop(oldest);
    }
    this.stats.entries = this.entries.size;
    this.stats.bytes = this.bytes;
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
    this.onEverything.delete(key);
    for (const id of entry.dependencies.units) {
      const keys = this.byUnit.get(id);
      keys?.delete(key);
      if (keys?.size === 0) this.byUnit.delete(id);
    }
    this.stats.entries = this.entries.size;
    this.stats.bytes = this.bytes;
  }

  private clearEntries(): void {
    this.entries.clear();
    this.byUnit.clear();
    this.onEverything.clear();
    this.bytes = 0;
    this.stats.entries = 0;
    this.stats.bytes = 0;
  }
}
