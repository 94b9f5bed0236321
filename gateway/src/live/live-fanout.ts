import { print, type DocumentNode } from 'graphql';
import { scopeKey, type Identity } from '@thads/kit';
import type { WatchSpec } from './live-registry';
import type { LiveMetrics } from './metrics';
import { liveValue, type LiveValue, type SocketSubscriber } from './socket-subscriber';
import { asRefreshQuery, rootUnitIds } from './subscription-schema';

/** The refreshing side, in this thread or the live worker's: it keeps watched live queries current and publishes their values. */
export interface LiveSource {
  watch(spec: WatchSpec): void;
  unwatch(key: string): void;
}

interface Audience {
  subscribers: Set<SocketSubscriber>;
  /** The last value published: a new subscriber gets it at once. */
  last?: LiveValue;
  /** Bumped by each new value: a fan-out still in progress for an older one stops. */
  generation: number;
}

/** Subscribers handed a value per turn of the event loop: HTTP requests are served between slices. */
const FANOUT_SLICE = 256;

/**
 * The live layer's subscribers' side, beside the sockets: subscriptions with the same
 * document, variables and access scope share one live query, watched on the refreshing
 * side (LiveRegistry) under one key; each value it publishes is written to every
 * subscriber's socket, the current one at once to a subscriber that joins.
 */
export class LiveFanout {
  private readonly audiences = new Map<string, Audience>();
  private readonly refreshes = new WeakMap<DocumentNode, string>();

  constructor(
    private readonly source: LiveSource,
    private readonly metrics: LiveMetrics,
  ) {}

  /** Adds a subscriber to the live query of (document, variables, scope), watched on first use. */
  subscribe(document: DocumentNode, variables: Record<string, unknown>, identity: Identity, sink: SocketSubscriber): SocketSubscriber {
    const scope = scopeKey(identity);
    const query = this.refreshOf(document);
    const key = `${scope}\u0000${query}\u0000${JSON.stringify(variables)}`;
    let audience = this.audiences.get(key);
    if (!audience) {
      audience = { subscribers: new Set(), generation: 0 };
      this.audiences.set(key, audience);
      this.source.watch({ key, group: `${scope}\u0000${query}`, query, variables, identity, roots: rootUnitIds(document, variables) });
    }
    const joined = audience;
    sink.onClose = () => this.unsubscribe(key, joined, sink);
    audience.subscribers.add(sink);
    this.metrics.subscribers++;
    // The current value at once when there is one, else the first refresh's (due now).
    if (audience.last !== undefined) sink.push(audience.last);
    return sink;
  }

  /** A new value of a live query, from the refreshing side. */
  publish(key: string, value: string): void {
    const audience = this.audiences.get(key);
    if (!audience) return; // its last subscriber left while it was refreshing
    audience.last = liveValue(value);
    this.metrics.messages += audience.subscribers.size;
    this.fanOut(audience, audience.last);
  }

  close(): void {
    for (const audience of this.audiences.values()) for (const s of [...audience.subscribers]) s.close();
    this.audiences.clear();
  }

  /** The refresh query of a subscription document, printed once a document (the WebSocket server reuses parsed documents). */
  private refreshOf(document: DocumentNode): string {
    let query = this.refreshes.get(document);
    if (query === undefined) {
      query = print(asRefreshQuery(document));
      this.refreshes.set(document, query);
    }
    return query;
  }

  private unsubscribe(key: string, audience: Audience, sink: SocketSubscriber): void {
    if (!audience.subscribers.delete(sink)) return;
    this.metrics.subscribers--;
    if (audience.subscribers.size === 0 && this.audiences.get(key) === audience) {
      audience.generation++; // stops a fan-out in progress
      this.audiences.delete(key);
      this.source.unwatch(key);
    }
  }

  /**
   * Hands the value to the subscribers a slice at a time, so that 10,000 sends do not hold
   * the event loop (and the mutations waiting on it) in one turn. A newer value takes over
   * from a fan-out still in progress.
   */
  private fanOut(audience: Audience, value: LiveValue): void {
    const generation = ++audience.generation;
    const subscribers = [...audience.subscribers];
    const started = Date.now();
    let next = 0;
    const step = () => {
      if (audience.generation !== generation) return;
      const end = Math.min(subscribers.length, next + FANOUT_SLICE);
      for (; next < end; next++) subscribers[next]!.push(value);
      if (next < subscribers.length) setImmediate(step);
      else this.metrics.fanOut.observeMs(Date.now() - started);
    };
    step();
  }
}
