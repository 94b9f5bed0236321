import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** Upper bounds (seconds) of the live layer's latency histograms: a 250 ms window sits in the middle. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** A Prometheus histogram of durations in seconds, with fixed buckets. */
export class Histogram {
  private readonly counts = BUCKETS.map(() => 0);
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

  render(): string {
    let cumulative = 0;
    const buckets = BUCKETS.map((b, i) => `${this.name}_bucket{le="${b}"} ${(cumulative += this.counts[i]!)}`);
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`, ...buckets, `${this.name}_bucket{le="+Inf"} ${this.count}`, `${this.name}_sum ${this.sum.toFixed(6)}`, `${this.name}_count ${this.count}`].join('\n');
  }
}

/** Counters and latency histograms of the live layer, served at /metrics in Prometheus' text format. */
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
  readonly feed = new Histogram('thads_live_feed_seconds', 'From a change notification reaching the gateway to the live queries it touches being marked dirty (outbox and hierarchy reads).');
  /** From a live query going dirty to its refresh starting (the coalescing window included). */
  readonly wait = new Histogram('thads_live_wait_seconds', 'From a live query going dirty to its refresh starting: the coalescing window and any refresh still running.');
  /** One refresh operation through the gateway (merged or not). */
  readonly refresh = new Histogram('thads_live_refresh_seconds', 'Duration of one refresh operation through the gateway and its subgraphs.');
  /** From a new value to its last subscriber's frame written. */
  readonly fanOut = new Histogram('thads_live_fanout_seconds', 'From a new value to the last of its subscribers having it written to their socket.');

  /** The gateway's event-loop delay (what every request, refresh and frame waits before it runs). */
  private readonly loop: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });

  constructor() {
    this.loop.enable();
  }

  render(): string {
    const loopP99 = this.loop.percentile(99) / 1e9;
    const loopMax = this.loop.max / 1e9;
    this.loop.reset(); // each scrape reads the delay since the last one
    const lines: [string, string, number][] = [
      ['thads_event_loop_delay_p99_seconds', "99th percentile of the gateway's event-loop delay since the last scrape.", loopP99],
      ['thads_event_loop_delay_max_seconds', "Largest event-loop delay since the last scrape.", loopMax],
      ['thads_live_executions_total', 'Refreshes executed (one per live query per refresh, whatever its number of subscribers).', this.executions],
      ['thads_live_operations_total', 'Gateway operations run by refreshes: live queries of one document and scope that refresh together are merged into one.', this.operations],
      ['thads_live_messages_total', 'Values handed to subscribers.', this.messages],
      ['thads_live_unchanged_total', 'Refreshes whose value had not changed, so nothing was sent.', this.skippedUnchanged],
      ['thads_live_change_events_total', 'Change events received from the outbox.', this.changeEvents],
      ['thads_live_queries', 'Distinct live queries (document, variables and access scope).', this.queries],
      ['thads_live_subscribers', 'Subscriptions served.', this.subscribers],
      ['thads_live_connections', 'Open graphql-ws connections.', this.connections],
    ];
    const counters = lines.map(([name, help, value]) => `# HELP ${name} ${help}\n# TYPE ${name} ${name.endsWith('_total') ? 'counter' : 'gauge'}\n${name} ${Number.isFinite(value) ? value : 0}`);
    return [...counters, ...[this.feed, this.wait, this.refresh, this.fanOut].map((h) => h.render())].join('\n') + '\n';
  }
}
