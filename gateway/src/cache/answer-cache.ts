import type { PlainResponse } from '@thads/kit';
import type { CacheChange, ChangeLog } from './change-log';
import type { Dependencies } from './dependencies';

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
  /** How it was computed: a hot answer is computed again as soon as a change drops it. */
  compute: () => Promise<Computed>;
  /** When it was last served. */
  lastHit: number;
}

/** An answer served within this long is hot: computed again at once when a change drops it. */
const HOT_MS = 2000;

interface Flight {
  /** The generation when it started computing: it includes every change announced before. */
  since: number;
  done: Promise<Computed>;
}

/** When a key's last computation started and how long it took. */
interface Pace {
  startedAt: number;
  tookMs: number;
}

/**
 * The most of the time a key's long computations may take: after a computation of t ms (t at
 * least PACED_FROM_MS), the next starts t / share ms after it at the earliest. A large answer
 * that every write touches (all the wards, tens of ms) is then recomputed a few times a second,
 * not after every write, and the writes and other reads keep the rest of the event loop. A
 * short one (a ranking) is recomputed as soon as it is asked for: pacing it only made readers
 * wait (measured with bench/reads.js at 50 writes/s: the ranking's p99 went from 22 to 39–61 ms
 * with pacing, the wards' from 173 to 160 ms without the gateway saturated).
 */
const RECOMPUTE_SHARE = 0.5;
const PACED_FROM_MS = 20;

export interface AnswerCacheStats {
  hits: number;
  misses: number;
  /** Hot answers computed again right after a change dropped them, before anyone asked. */
  refreshed: number;
  joined: number;
  stored: number;
  invalidated: number;
  entries: number;
  bytes: number;
}

/**
 * Whole answers (status, headers, body) kept until a committed change touches what they were
 * read from, and served as they are: never stale by a timer, always current with the changes
 * this gateway has heard. A change of a subgraph's units drops the answers that read any of
 * them there (or any root field of that subgraph); a change of everything (a rebuild, a
 * reconnection) drops them all.
 *
 * An answer computed while a change it depends on was announced is sent to the requests that
 * came before the change, never kept; a request that comes after waits for a computation that
 * started after it. Identical requests share one computation (a key has one in flight at a
 * time), so a burst of readers costs one execution, and a steady stream of writes costs at
 * most one execution a key per execution time.
 */
export class AnswerCache {
  private readonly entries = new Map<string, Entry>();
  /** Keys by `<subgraph>:<unit>` read through entity fetches, and by subgraph read through root fields. */
  private readonly byUnit = new Map<string, Set<string>>();
  private readonly byRoot = new Map<string, Set<string>>();
  private readonly flights = new Map<string, Flight>();
  private readonly paces = new Map<string, Pace>();
  private bytes = 0;
  private enabled = true;
  readonly stats: AnswerCacheStats = { hits: 0, misses: 0, refreshed: 0, joined: 0, stored: 0, invalidated: 0, entries: 0, bytes: 0 };

  constructor(
    private readonly maxBytes: number,
    private readonly log: ChangeLog,
  ) {}

  /** The answer for a key: kept, or computed once for every request waiting for it. */
  async answer(key: string, compute: () => Promise<Computed>): Promise<PlainResponse> {
    for (;;) {
      const kept = this.entries.get(key);
      if (kept) {
        this.stats.hits++;
        kept.lastHit = Date.now();
        // Most recently used last: the oldest are dropped first when the cache is full.
        this.entries.delete(key);
        this.entries.set(key, kept);
        return kept.response;
      }
      const flight = this.flights.get(key);
      if (!flight) {
        this.stats.misses++;
        return this.start(key, compute);
      }
      this.stats.joined++;
      const joinedAt = this.log.generation;
      const computed = await flight.done;
      if (!this.log.changedBetween(flight.since, joinedAt, (c) => computed.dependencies.touchedBy(c))) return computed.response;
      // A change it reads was announced before this request came: wait for a newer one.
    }
  }

  /** Drops what a committed change touches (recorded in the change log by its caller). */
  invalidate(change: CacheChange): void {
    if (change === 'all') {
      this.stats.invalidated += this.entries.size;
      this.clearEntries();
      return;
    }
    // Candidates from the indexes; each then by its own dependencies (a change dated after the
    // periods an answer read leaves it as it is).
    const keys = new Set(this.byRoot.get(change.subgraph));
    for (const id of change.units) for (const key of this.byUnit.get(`${change.subgraph}:${id}`) ?? []) keys.add(key);
    const now = Date.now();
    for (const key of keys) {
      const entry = this.entries.get(key);
      if (!entry?.dependencies.touchedBy(change)) continue;
      this.drop(key);
      this.stats.invalidated++;
      // Readers are asking for it: its next computation starts now (paced), not at the next request.
      if (now - entry.lastHit < HOT_MS && !this.flights.has(key)) {
        this.stats.refreshed++;
        this.start(key, entry.compute).catch(() => {}); // a failure reaches the next request that computes it
      }
    }
  }

  /** Off while changes may be missed (the notices connection is down): nothing served from memory, nothing kept. */
  setEnabled(enabled: boolean): void {
    if (!enabled) this.clearEntries();
    this.enabled = enabled;
  }

  get isEnabled(): boolean {
    return this.enabled;
  }

  private async start(key: string, compute: () => Promise<Computed>): Promise<PlainResponse> {
    const flight: Flight = { since: this.log.generation, done: undefined as unknown as Promise<Computed> };
    flight.done = (async () => {
      const pace = this.paces.get(key);
      const wait = pace && pace.tookMs >= PACED_FROM_MS ? pace.startedAt + pace.tookMs / RECOMPUTE_SHARE - Date.now() : 0;
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 1000)));
      const startedAt = Date.now();
      flight.since = this.log.generation;
      const computed = await compute();
      this.pace(key, { startedAt, tookMs: Date.now() - startedAt });
      return computed;
    })();
    this.flights.set(key, flight);
    try {
      const computed = await flight.done;
      if (computed.cacheable && this.enabled && !this.log.changedBetween(flight.since, this.log.generation, (c) => computed.dependencies.touchedBy(c)))
        this.store(key, computed, compute);
      return computed.response;
    } finally {
      this.flights.delete(key);
    }
  }

  private pace(key: string, pace: Pace): void {
    this.paces.delete(key);
    this.paces.set(key, pace);
    if (this.paces.size > 10_000) for (const oldest of this.paces.keys()) if (this.paces.size > 5_000) this.paces.delete(oldest);
  }

  private store(key: string, computed: Computed, compute: () => Promise<Computed>): void {
    const bytes = computed.response.body.length + 200;
    if (bytes > this.maxBytes / 4) return;
    this.drop(key);
    // Encoded once: every hit writes the same bytes.
    const response = { ...computed.response, body: Buffer.from(computed.response.body) };
    this.entries.set(key, { response, dependencies: computed.dependencies, bytes, compute, lastHit: Date.now() });
    this.bytes += bytes;
    for (const subgraph of computed.dependencies.roots) index(this.byRoot, subgraph, key);
    for (const [subgraph, ids] of computed.dependencies.entities) for (const id of ids) index(this.byUnit, `${subgraph}:${id}`, key);
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
    for (const subgraph of entry.dependencies.roots) unindex(this.byRoot, subgraph, key);
    for (const [subgraph, ids] of entry.dependencies.entities) for (const id of ids) unindex(this.byUnit, `${subgraph}:${id}`, key);
    this.stats.entries = this.entries.size;
    this.stats.bytes = this.bytes;
  }

  private clearEntries(): void {
    this.entries.clear();
    this.byUnit.clear();
    this.byRoot.clear();
    this.bytes = 0;
    this.stats.entries = 0;
    this.stats.bytes = 0;
  }
}

function index(map: Map<string, Set<string>>, at: string, key: string): void {
  let keys = map.get(at);
  if (!keys) map.set(at, (keys = new Set()));
  keys.add(key);
}

function unindex(map: Map<string, Set<string>>, at: string, key: string): void {
  const keys = map.get(at);
  keys?.delete(key);
  if (keys?.size === 0) map.delete(at);
}
