import { parse, print, type DocumentNode, type FormattedExecutionResult } from 'graphql';
import type { Logger } from 'pino';
import type { Identity } from '@thads/kit';
import type { Change } from './change-feed';
import { mergeRefreshes, splitMerged } from './merged-refresh';
import type { LiveMetrics } from './metrics';

/**
 * Runs one query through the gateway as the identity; errors come back formatted (plain objects).
 * `fresh`: the answer must include every change committed before the call (a first value, or
 * after changes the live layer may not have heard); otherwise the changes heard so far suffice.
 */
export type Execute = (query: string, variables: Record<string, unknown>, identity: Identity, fresh: boolean) => Promise<FormattedExecutionResult>;

/** Hands a live query's new value (the execution result, serialized) to its subscribers. */
export type Publish = (key: string, value: string) => void;

/** A live query to keep current: what the subscribers' side asks of the registry (plain data, so it crosses threads). */
export interface WatchSpec {
  /** Scope, refresh query and variables: subscriptions with equal keys share the live query. */
  key: string;
  /** Live queries of one group (scope and document) refresh together in one operation. */
  group: string;
  /** The refresh query (the subscription rewritten as a query), printed. */
  query: string;
  variables: Record<string, unknown>;
  /** One of the identities sharing the scope: equal scopes see equal data. */
  identity: Identity;
  /** The units it is rooted at ('any': every change refreshes it). */
  roots: number[] | 'any';
}

interface LiveQuery extends WatchSpec {
  document: DocumentNode;
  /** Unit ids that appear in the last value: a change to any of them refreshes it too. */
  seen: Set<number>;
  /** The last value published, serialized: compared with each refresh's. */
  last?: string;
  /** When its last refresh started (0: never refreshed): the next starts a window later at the earliest. */
  lastStart: number;
  /** When it last published a value: the next value waits until a window after. */
  lastSent: number;
  /** A value waiting for the window since the last one to pass. */
  held?: NodeJS.Timeout;
  dirty: boolean;
  /** When it last went dirty (for the wait metric). */
  dirtySince: number;
  /** In a batch that is waiting to run or running. */
  busy: boolean;
  /** Its next refresh must see every change committed so far (never refreshed, or a change not heard one by one). */
  fresh: boolean;
}

/** Largest number of live queries merged into one gateway operation. */
const MAX_BATCH = 200;

function collectIds(value: unknown, into: Set<number>): void {
  if (Array.isArray(value)) value.forEach((v) => collectIds(v, into));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'id' && typeof v === 'string' && /^\d+$/.test(v)) into.add(Number(v));
      else collectIds(v, into);
    }
  }
}

/**
 * The live layer's refreshing side: subscriptions with the same document, variables and
 * access scope share one live query (watched by key), executed once per refresh, its new
 * values published to the subscribers' side (LiveFanout). A change marks the live queries
 * it touches dirty; a dirty query's refreshes start a window apart at least (the window
 * counts from the start of the last one, so a refresh slowed by load does not add its own
 * duration to every cycle, and a change to a quiet unit is refreshed at once); its
 * subscribers get at most one value a window (a value ready early waits for the window,
 * replaced by any newer one); a value equal to the last one is not published.
 *
 * Dirty queries that come due together refresh together: those of one document and scope
 * (the 34 provinces' dashboards, say) are merged into one gateway operation. A query due
 * a little before others (less than a fifth of the window) waits for them once, so that
 * under a steady stream of changes the refreshes fall into step and stay batched.
 */
export class LiveRegistry {
  private readonly queries = new Map<string, LiveQuery>();
  /** Dirty queries not yet in a batch. */
  private readonly waiting = new Set<LiveQuery>();
  private timer?: NodeJS.Timeout;
  /** A collect due now, run once the current turn's changes are all marked. */
  private immediate?: NodeJS.Immediate;
  private timerAt = Infinity;
  private closed = false;
  /** Parsed refresh queries by text (a few documents serve thousands of live queries). */
  private readonly documents = new Map<string, DocumentNode>();

  constructor(
    private readonly execute: Execute,
    private readonly windowMs: number,
    private readonly metrics: LiveMetrics,
    private readonly logger: Logger,
    private readonly publish: Publish,
    private readonly slackMs = Math.floor(windowMs / 5),
  ) {}

  /** Keeps the live query of the spec current from now on (its first refresh is due at once); a known key is left as it is. */
  watch(spec: WatchSpec): void {
    if (this.closed || this.queries.has(spec.key)) return;
    let document = this.documents.get(spec.query);
    if (!document) {
      document = parse(spec.query);
      if (this.documents.size >= 1000) this.documents.clear();
      this.documents.set(spec.query, document);
    }
    const live: LiveQuery = { ...spec, document, seen: new Set(), lastStart: 0, lastSent: 0, dirty: false, dirtySince: 0, busy: false, fresh: true };
    this.queries.set(spec.key, live);
    this.metrics.queries = this.queries.size;
    this.markDirty(live);
  }

  /** Stops refreshing the live query (its last subscriber left). */
  unwatch(key: string): void {
    const live = this.queries.get(key);
    if (!live) return;
    clearTimeout(live.held);
    this.queries.delete(key);
    this.waiting.delete(live);
    this.metrics.queries = this.queries.size;
  }

  onChange(change: Change): void {
    this.metrics.changeEvents++;
    if (change.noticedAt !== undefined) this.metrics.feed.observeMs(Date.now() - change.noticedAt);
    for (const live of this.queries.values()) {
      if (change.kind === 'all') live.fresh = true; // a query already waiting for its window too
      if (live.dirty) continue;
      if (change.kind === 'all' || live.roots === 'any' || this.touches(live, change.unitIds)) this.markDirty(live);
    }
    // The queries this change made due now are all marked: collect them in this turn, not the next.
    if (this.timerAt <= Date.now()) this.collect();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    clearImmediate(this.immediate);
    for (const live of this.queries.values()) clearTimeout(live.held);
    this.queries.clear();
    this.waiting.clear();
  }

  /**
   * Whether this very live query is still watched. Its key is not enough: unwatched and watched
   * again during a refresh, the key holds a new live query, and the old one's late value must
   * not overwrite the new one's.
   */
  private isWatched(live: LiveQuery): boolean {
    return this.queries.get(live.key) === live;
  }

  private touches(live: LiveQuery, unitIds: Set<number>): boolean {
    if ((live.roots as number[]).some((id) => unitIds.has(id))) return true;
    for (const id of live.seen) if (unitIds.has(id)) return true;
    return false;
  }

  private dueOf(live: LiveQuery): number {
    return live.lastStart === 0 ? 0 : live.lastStart + this.windowMs;
  }

  private markDirty(live: LiveQuery): void {
    if (!live.dirty) live.dirtySince = Date.now();
    live.dirty = true;
    if (live.busy) return; // its batch re-queues it when it ends
    this.waiting.add(live);
    this.wakeAt(this.dueOf(live));
  }

  /** Collects at `at`; a query due now is collected right after this turn (the subscriptions read in it all watched), not a timer turn later. */
  private wakeAt(at: number): void {
    if (this.closed || at >= this.timerAt) return;
    clearTimeout(this.timer);
    clearImmediate(this.immediate);
    this.timerAt = at;
    const delay = at - Date.now();
    if (delay <= 0) this.immediate = setImmediate(() => this.collect());
    else this.timer = setTimeout(() => this.collect(), delay);
  }

  /** Takes the waiting queries due now or within the slack, and runs them as one batch when the last of them is due. */
  private collect(): void {
    clearTimeout(this.timer);
    clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
    this.timerAt = Infinity;
    const now = Date.now();
    const batch: LiveQuery[] = [];
    let runAt = now;
    let next = Infinity;
    for (const live of this.waiting) {
      const due = this.dueOf(live);
      if (due <= now + this.slackMs) {
        batch.push(live);
        runAt = Math.max(runAt, due);
      } else next = Math.min(next, due);
    }
    for (const live of batch) {
      this.waiting.delete(live);
      live.busy = true;
    }
    if (next < Infinity) this.wakeAt(next);
    if (!batch.length) return;
    if (runAt > now) setTimeout(() => void this.run(batch), runAt - now);
    else void this.run(batch);
  }

  private async run(batch: LiveQuery[]): Promise<void> {
    const groups = new Map<string, LiveQuery[]>();
    const fresh = new Set<LiveQuery>();
    const now = Date.now();
    for (const live of batch) {
      if (!this.isWatched(live)) continue; // unsubscribed while waiting
      this.metrics.wait.observeMs(now - live.dirtySince);
      live.lastStart = now;
      live.dirty = false;
      if (live.fresh) fresh.add(live);
      live.fresh = false;
      const group = groups.get(live.group) ?? [];
      group.push(live);
      groups.set(live.group, group);
    }
    const chunks = [...groups.values()].flatMap((g) =>
      Array.from({ length: Math.ceil(g.length / MAX_BATCH) }, (_, i) => g.slice(i * MAX_BATCH, (i + 1) * MAX_BATCH)),
    );
    await Promise.all(
      chunks.map((chunk) =>
        this.refreshGroup(
          chunk,
          chunk.some((m) => fresh.has(m)),
        ),
      ),
    );
  }

  /** One operation for the chunk when it merges, else one per query; each result delivered, each query re-queued if it went dirty meanwhile. */
  private async refreshGroup(members: LiveQuery[], fresh: boolean): Promise<void> {
    this.metrics.executions += members.length;
    let results: (FormattedExecutionResult | Error)[];
    const merged =
      members.length > 1
        ? mergeRefreshes(
            members[0]!.document,
            members.map((m) => m.variables),
          )
        : null;
    if (merged) {
      this.metrics.operations++;
      const whole = await this.timed(print(merged.document), merged.variables, members[0]!.identity, fresh);
      results = whole instanceof Error ? members.map(() => whole) : splitMerged(whole, members.length);
      // A non-null root that failed nulls the whole merged data: run them one by one to keep the others' values.
      if (!(whole instanceof Error) && whole.data == null) results = await this.one(members, fresh);
    } else results = await this.one(members, fresh);

    const ended = Date.now();
    members.forEach((live, i) => {
      const result = results[i]!;
      if (result instanceof Error) {
        this.logger.error({ err: result }, 'live refresh failed');
        live.dirty = true;
        live.dirtySince = ended;
        live.fresh ||= fresh;
      } else this.deliver(live, result);
      live.busy = false;
      if (live.dirty && this.isWatched(live)) this.markDirty(live);
    });
  }

  private one(members: LiveQuery[], fresh: boolean): Promise<(FormattedExecutionResult | Error)[]> {
    this.metrics.operations += members.length;
    return Promise.all(members.map((m) => this.timed(m.query, m.variables, m.identity, fresh)));
  }

  /** One refresh operation, its duration in the refresh histogram; a failure comes back as the error. */
  private async timed(query: string, variables: Record<string, unknown>, identity: Identity, fresh: boolean): Promise<FormattedExecutionResult | Error> {
    const started = Date.now();
    const result = await this.execute(query, variables, identity, fresh).catch((err: Error) => err);
    this.metrics.refresh.observeMs(Date.now() - started);
    return result;
  }

  private deliver(live: LiveQuery, result: FormattedExecutionResult): void {
    if (!this.isWatched(live)) return; // unsubscribed during its refresh: its value is nobody's
    const text = JSON.stringify(result);
    if (text === live.last) {
      this.metrics.skippedUnchanged++;
      return;
    }
    live.last = text;
    live.seen.clear();
    collectIds(result.data, live.seen);
    if (live.held) return; // the value waiting for its window goes out as this newer one
    const wait = live.lastSent + this.windowMs - Date.now();
    if (wait > 0) {
      live.held = setTimeout(() => {
        live.held = undefined;
        this.send(live);
      }, wait);
    } else this.send(live);
  }

  private send(live: LiveQuery): void {
    if (!this.isWatched(live)) return;
    live.lastSent = Date.now();
    this.publish(live.key, live.last!);
  }
}
