import type { Child } from './processes';

/** When a process that keeps crashing is given up on, and how long to wait before each restart. */
export interface CrashPolicy {
  /** Crashes within `windowMs` after which the hub stops. @default 5 */
  maxCrashes: number;
  /** @default 60000 */
  windowMs: number;
  /** Wait before the 1st, 2nd, … restart within the window. */
  backoffMs: readonly number[];
}

export const DEFAULT_CRASH_POLICY: CrashPolicy = { maxCrashes: 5, windowMs: 60_000, backoffMs: [500, 1000, 2000, 4000, 8000] };

/** Lines of a process's output kept to show when it is given up on. */
const TAIL_LINES = 20;

/** One process the supervisor keeps running: how to start it (again), with its output lines handed to `out`. */
export interface Supervised {
  name: string;
  start(out: (line: string) => void): Child;
}

/**
 * Keeps the hub's processes running: a process that exits while the hub is not stopping is
 * started again after a growing wait, with a line saying why; one that crashes
 * `maxCrashes` times within `windowMs` is given up on, and `giveUp` gets its name and last
 * output lines (the hub then stops, so that a broken build or configuration does not loop).
 * Something without a process of its own (the embedded PostgreSQL) reports its failures
 * through `failed` and is restarted by its own `restart`.
 */
export class Supervisor {
  private stopping = false;
  private readonly crashes = new Map<string, number[]>();
  private readonly tails = new Map<string, string[]>();
  private readonly current = new Map<string, Child>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly log: (line: string) => void,
    private readonly giveUp: (name: string, lastLines: readonly string[]) => void,
    private readonly policy: CrashPolicy = DEFAULT_CRASH_POLICY,
  ) {}

  /** The processes as they run now (a restarted one replaces its predecessor). */
  get children(): Child[] {
    return [...this.current.values()];
  }

  /** Starts a process and keeps it running until `stop`. */
  run(spec: Supervised): Child {
    const tail = this.tails.get(spec.name) ?? [];
    this.tails.set(spec.name, tail);
    const child = spec.start((line) => {
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
    });
    this.current.set(spec.name, child);
    child.process.once('exit', (code, signal) => {
      if (this.stopping || this.current.get(spec.name) !== child) return;
      this.failed(spec.name, `exited (${signal ? `signal ${signal}` : `code ${code}`})`, () => this.run(spec));
    });
    return child;
  }

  /**
   * A crash of `name`: restarts it with `restart` after the backoff, or gives up when it has
   * crashed too often lately.
   */
  failed(name: string, why: string, restart: () => unknown): void {
    if (this.stopping) return;
    const now = Date.now();
    const recent = (this.crashes.get(name) ?? []).filter((t) => now - t < this.policy.windowMs);
    recent.push(now);
    this.crashes.set(name, recent);
    if (recent.length >= this.policy.maxCrashes) {
      this.log(`${name} ${why}: ${recent.length} crashes within ${this.policy.windowMs / 1000} s, giving up.`);
      this.giveUp(name, this.tails.get(name) ?? []);
      return;
    }
    const wait = this.policy.backoffMs[Math.min(recent.length - 1, this.policy.backoffMs.length - 1)]!;
    this.log(
      `${name} ${why}; restarting it in ${wait / 1000} s (crash ${recent.length} of ${this.policy.maxCrashes} allowed within ${this.policy.windowMs / 1000} s).`,
    );
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopping) restart();
    }, wait);
    this.timers.add(timer);
  }

  /** No more restarts: what stops from now on stays stopped. */
  stop(): void {
    this.stopping = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
