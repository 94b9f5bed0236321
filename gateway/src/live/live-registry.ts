import { print, type DocumentNode, type FormattedExecutionResult } from 'graphql';
import type { Logger } from 'pino';
import { scopeKey, type Identity } from '@thads/kit';
import type { Change } from './change-feed';
import { LatestValue } from './latest-value';
import type { LiveMetrics } from './metrics';
import { asRefreshQuery, rootUnitIds } from './subscription-schema';

export type Execute = (query: string, variables: Record<string, unknown>, identity: Identity) => Promise<FormattedExecutionResult>;

interface LiveQuery {
  key: string;
  query: string;
  variables: Record<string, unknown>;
  scope: string;
  /** One of the identities sharing the scope: equal scopes see equal data. */
  identity: Identity;
  roots: number[] | 'any';
  /** Unit ids that appear in the last value: a change to any of them refreshes it too. */
  seen: Set<number>;
  subscribers: Set<LatestValue<FormattedExecutionResult>>;
  last?: string;
  lastResult?: FormattedExecutionResult;
  lastRefresh: number;
  timer?: NodeJS.Timeout;
  refreshing: boolean;
  dirty: boolean;
}

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
 * The live layer: subscriptions with the same document, variables and access scope share
 * one live query, executed once per refresh and fanned out. A change marks the live
 * queries it touches dirty; a dirty query refreshes at most once per window; a value equal
 * to the last one is not sent.
 */
export class LiveRegistry {
  private readonly queries = new Map<string, LiveQuery>();

  constructor(
    private readonly execute: Execute,
    private readonly windowMs: number,
    private readonly metrics: LiveMetrics,
    private readonly logger: Logger,
  ) {}

  subscribe(document: DocumentNode, variables: Record<string, unknown>, identity: Identity): LatestValue<FormattedExecutionResult> {
    const scope = scopeKey(identity);
    const query = print(asRefreshQuery(document));
    const key = `${scope}\u0000${query}\u0000${JSON.stringify(variables)}`;
    let live = this.queries.get(key);
    if (!live) {
      live = { key, query, variables, scope, identity, roots: rootUnitIds(document, variables), seen: new Set(), subscribers: new Set(), lastRefresh: 0, refreshing: false, dirty: true };
      this.queries.set(key, live);
      this.metrics.queries = this.queries.size;
    }
    const target = live;
    const sink = new LatestValue<FormattedExecutionResult>(() => this.unsubscribe(target, sink));
    live.subscribers.add(sink);
    this.metrics.subscribers++;
    // The current value at once: the shared one when there is one, else a first refresh now.
    if (live.lastResult) sink.push(live.lastResult);
    else this.schedule(live, 0);
    return sink;
  }

  onChange(change: Change): void {
    this.metrics.changeEvents++;
    for (const live of this.queries.values()) {
      const touched =
        change.kind === 'all' ||
        live.roots === 'any' ||
        live.roots.some((id) => change.unitIds.has(id)) ||
        [...live.seen].some((id) => change.unitIds.has(id));
      if (touched) {
        live.dirty = true;
        this.schedule(live);
      }
    }
  }

  /** Refreshes every live query now (after a restart of the change feed). */
  refreshAll(): void {
    this.onChange({ kind: 'all', reason: 'requested' });
  }

  close(): void {
    for (const live of this.queries.values()) {
      clearTimeout(live.timer);
      for (const s of [...live.subscribers]) s.close();
    }
    this.queries.clear();
  }

  private unsubscribe(live: LiveQuery, sink: LatestValue<FormattedExecutionResult>): void {
    if (!live.subscribers.delete(sink)) return;
    this.metrics.subscribers--;
    if (live.subscribers.size === 0) {
      clearTimeout(live.timer);
      this.queries.delete(live.key);
      this.metrics.queries = this.queries.size;
    }
  }

  private schedule(live: LiveQuery, delay?: number): void {
    if (live.timer || live.refreshing) return;
    const wait = delay ?? Math.max(0, live.lastRefresh + this.windowMs - Date.now());
    live.timer = setTimeout(() => void this.refresh(live), wait);
  }

  private async refresh(live: LiveQuery): Promise<void> {
    live.timer = undefined;
    if (!this.queries.has(live.key)) return;
    live.dirty = false;
    live.refreshing = true;
    this.metrics.executions++;
    try {
      const result = await this.execute(live.query, live.variables, live.identity);
      const text = JSON.stringify(result);
      if (text === live.last) this.metrics.skippedUnchanged++;
      else {
        live.last = text;
        live.lastResult = result;
        live.seen.clear();
        collectIds(result.data, live.seen);
        for (const s of live.subscribers) s.push(result);
        this.metrics.messages += live.subscribers.size;
      }
    } catch (err) {
      this.logger.error({ err }, 'live refresh failed');
      live.dirty = true;
    } finally {
      live.refreshing = false;
      live.lastRefresh = Date.now();
      if (live.dirty && this.queries.has(live.key)) this.schedule(live);
    }
  }
}
