import type { AnswerCacheStats } from '../cache/answer-cache';
import type { FetchCacheStats } from '../cache/fetch-cache';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** Upper bounds (seconds) of the live layer's latency histograms: a 250 ms window sits in the middle. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** A histogram's state, as one thread hands it to another. */
export interface HistogramState {
  counts: number[];
  count: number;
  sum: number;
}

/** A Prometheus histogram of durations in seconds, with fixed buckets. */
export class Histogram {
  private counts = BUCKETS.map(() => 0);
  count = 0;
  sum = 0;

  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  /** Records a duration given in milliseconds. */
  observeMs(ms: number): void {
    const s = ms / 1000;
    this.count++;
    this.sum += s;
    const i = BUCKETS.findIndex((b) => s <= b);
    if (i >= 0) this.counts[i]!++;
  }

  state(): HistogramState {
    return { counts: [...this.counts], count: this.count, sum: this.sum };
  }

  /** This histogram with another's observations added (the live worker's, say). */
  plus(other: HistogramState | undefined): Histogram {
    if (!other) return this;
    const sum = new Histogram(this.name, this.help);
    sum.counts = this.counts.map((c, i) => c + (other.counts[i] ?? 0));
    sum.count = this.count + other.count;
    sum.sum = this.sum + other.sum;
    return sum;
  }

  render(): string {
    let cumulative = 0;
    const buckets = BUCKETS.map((b, i) => `${this.name}_bucket{le="${b}"} ${(cumulative += this.counts[i]!)}`);
    return [
      `# HELP ${this.name} ${this.help}`,
      `# TYPE ${this.name} histogram`,
      ...buckets,
      `${this.name}_bucket{le="+Inf"} ${this.count}`,
      `${this.name}_sum ${this.sum.toFixed(6)}`,
      `${this.name}_count ${this.count}`,
    ].join('\n');
  }
}

const COUNTERS = ['executions', 'operations', 'messages', 'skippedUnchanged', 'changeEvents', 'queries', 'subscribers', 'connections'] as const;
const HISTOGRAMS = ['feed', 'wait', 'refresh', 'fanOut'] as const;

/** What the live worker thread measured, handed to the thread that serves /metrics. */
export interface LiveMetricsSnapshot {
  counters: Record<(typeof COUNTERS)[number], number>;
  histograms: Record<(typeof HISTOGRAMS)[number], HistogramState>;
  loopP99: number;
  loopMax: number;
}

/**
 * Counters and latency histograms of the live layer, served at /metrics in Prometheus' text
 * format. With the live worker thread, each thread counts its own part (the worker: feed,
 * refreshes; the main thread: connections, subscribers, fan-out) and the main thread
 * renders both as one.
 */
export class LiveMetrics {
  executions = 0;
  operations = 0;
  messages = 0;
  skippedUnchanged = 0;
  changeEvents = 0;
  queries = 0;
  subscribers = 0;
  connections = 0;
  /** From a change notification's arrival to its change event (units and their ancestors known). */
  readonly feed = new Histogram(
    'thads_live_feed_seconds',
    'From a change notification reaching the gateway to the live queries it touches being marked dirty (outbox and hierarchy reads).',
  );
  /** From a live query going dirty to its refresh starting (the coalescing window included). */
  readonly wait = new Histogram(
    'thads_live_wait_seconds',
    'From a live query going dirty to its refresh starting: the coalescing window and any refresh still running.',
  );
  /** One refresh operation through the gateway (merged or not). */
  readonly refresh = new Histogram('thads_live_refresh_seconds', 'Duration of one refresh operation through the gateway and its subgraphs.');
  /** From a new value to its last subscriber's frame written. */
  readonly fanOut = new Histogram('thads_live_fanout_seconds', 'From a new value to the last of its subscribers having it written to their socket.');

  /** The gateway's event-loop delay (what every request, refresh and frame waits before it runs). */
  private readonly loop: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });

  constructor() {
    this.loop.enable();
  }

  /** The event-loop delay since the last reading (seconds), which resets it: each scrape reads its own interval. */
  private loopDelay(): { p99: number; max: number } {
    const delay = { p99: this.loop.percentile(99) / 1e9, max: this.loop.max / 1e9 };
    this.loop.reset();
    return delay;
  }

  /** This thread's counts, for the thread that renders them (see render). */
  snapshot(): LiveMetricsSnapshot {
    const { p99, max } = this.loopDelay();
    return {
      counters: Object.fromEntries(COUNTERS.map((c) => [c, this[c]])) as LiveMetricsSnapshot['counters'],
      histograms: Object.fromEntries(HISTOGRAMS.map((h) => [h, this[h].state()])) as LiveMetricsSnapshot['histograms'],
      loopP99: p99,
      loopMax: max,
    };
  }

  /** The Prometheus text of this thread's metrics plus the live worker's, when it runs in one. */
  render(worker?: LiveMetricsSnapshot, cache?: AnswerCacheStats, fetches?: FetchCacheStats, settles?: { byName: number; barriers: number }): string {
    const loop = this.loopDelay();
    const total = (c: (typeof COUNTERS)[number]) => this[c] + (worker?.counters[c] ?? 0);
    const lines: [string, string, number][] = [
      ['thads_event_loop_delay_p99_seconds', "99th percentile of the gateway's event-loop delay since the last scrape.", loop.p99],
      ['thads_event_loop_delay_max_seconds', 'Largest event-loop delay since the last scrape.', loop.max],
      ...(worker
        ? ([
            [
              'thads_live_worker_event_loop_delay_p99_seconds',
              "99th percentile of the live worker thread's event-loop delay (change feed and refreshes) since the last scrape.",
              worker.loopP99,
            ],
            ['thads_live_worker_event_loop_delay_max_seconds', 'Largest event-loop delay of the live worker thread since the last scrape.', worker.loopMax],
          ] as [string, string, number][])
        : []),
      ['thads_live_executions_total', 'Refreshes executed (one per live query per refresh, whatever its number of subscribers).', total('executions')],
      [
        'thads_live_operations_total',
        'Gateway operations run by refreshes: live queries of one document and scope that refresh together are merged into one.',
        total('operations'),
      ],
      ['thads_live_messages_total', 'Values handed to subscribers.', total('messages')],
      ['thads_live_unchanged_total', 'Refreshes whose value had not changed, so nothing was sent.', total('skippedUnchanged')],
      ['thads_live_change_events_total', 'Change events received from the outbox.', total('changeEvents')],
      ['thads_live_queries', 'Distinct live queries (document, variables and access scope).', total('queries')],
      ['thads_live_subscribers', 'Subscriptions served.', total('subscribers')],
      ['thads_live_connections', 'Open graphql-ws connections.', total('connections')],
      ...(cache
        ? ([
            ['thads_answer_cache_hits_total', 'HTTP queries answered from the answer cache.', cache.hits],
            ['thads_answer_cache_misses_total', 'HTTP requests executed (and kept when they may be).', cache.misses],
            ['thads_answer_cache_refreshed_total', 'Hot answers computed again right after a change dropped them, before anyone asked.', cache.refreshed],
            ['thads_answer_cache_joined_total', 'Requests that waited for an identical one being executed.', cache.joined],
            ['thads_answer_cache_stored_total', 'Answers kept.', cache.stored],
            ['thads_answer_cache_invalidated_total', 'Kept answers dropped by a committed change.', cache.invalidated],
            ['thads_answer_cache_entries', 'Answers kept now.', cache.entries],
            ['thads_answer_cache_bytes', 'Bytes of the answers kept now.', cache.bytes],
          ] as [string, string, number][])
        : []),
      ...(fetches
        ? ([
            ['thads_fetch_cache_root_hits_total', 'Subgraph root fetches answered from the fetch cache.', fetches.rootHits],
            ['thads_fetch_cache_entity_hits_total', 'Entities of subgraph entity fetches answered from the fetch cache.', fetches.entityHits],
            ['thads_fetch_cache_entity_misses_total', 'Entities fetched from their subgraph.', fetches.entityMisses],
          ] as [string, string, number][])
        : []),
      ...(settles
        ? ([
            ['thads_mutations_settled_by_name_total', 'Mutations answered as soon as the change notices their writes named had been heard.', settles.byName],
            [
              'thads_change_barriers_total',
              'Round trips on the change-notice connection to make sure every committed change was heard (a mutation whose notices had not arrived yet, a first live value).',
              settles.barriers,
            ],
          ] as [string, string, number][])
        : []),
    ];
    const counters = lines.map(
      ([name, help, value]) =>
        `# HELP ${name} ${help}\n# TYPE ${name} ${name.endsWith('_total') ? 'counter' : 'gauge'}\n${name} ${Number.isFinite(value) ? value : 0}`,
    );
    const histograms = HISTOGRAMS.map((h) => this[h].plus(worker?.histograms[h]).render());
    return [...counters, ...histograms].join('\n') + '\n';
  }
}
