import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config';
import type { LiveEngine } from './live-engine';
import type { Publish, WatchSpec } from './live-registry';
import type { LiveMetricsSnapshot } from './metrics';
import type { FromWorker, LiveWorkerData, ToWorker } from './worker-protocol';

/**
 * The worker's script. The build runs it from dist/; the tests run the sources through
 * SWC, where a worker thread has no transform, so they run the built one (`npm test`
 * builds first).
 */
const WORKER_SCRIPT = __filename.endsWith('.ts') ? resolve(__dirname, '..', '..', 'dist', 'live', 'live-worker.js') : join(__dirname, 'live-worker.js');
const STOP_TIMEOUT_MS = 5000;
const METRICS_TIMEOUT_MS = 2000;

/**
 * The refreshing side in the live worker thread (see live-worker.ts), seen from the main
 * thread: live queries to watch go there, their values come back. The worker is started
 * with the gateway (its failure to start, an unreachable NATS say, fails the start); if it
 * ever dies, it is started again and every live query watched again, so subscribers get
 * current values after a short pause instead of none.
 */
export class WorkerEngine implements LiveEngine {
  private worker?: Worker;
  private readonly specs = new Map<string, WatchSpec>();
  private readonly metricRequests = new Map<number, (snapshot: LiveMetricsSnapshot | undefined) => void>();
  private nextRequest = 0;
  private stopping = false;
  private restartDelayMs = 500;

  private constructor(
    private readonly config: GatewayConfig,
    private readonly publish: Publish,
    private readonly logger: Logger,
  ) {}

  static async start(config: GatewayConfig, publish: Publish, logger: Logger): Promise<WorkerEngine> {
    const engine = new WorkerEngine(config, publish, logger);
    await engine.spawn();
    return engine;
  }

  watch(spec: WatchSpec): void {
    this.specs.set(spec.key, spec);
    this.send({ t: 'watch', spec });
  }

  unwatch(key: string): void {
    this.specs.delete(key);
    this.send({ t: 'unwatch', key });
  }

  metrics(): Promise<LiveMetricsSnapshot | undefined> {
    const worker = this.worker;
    if (!worker) return Promise.resolve(undefined);
    const id = ++this.nextRequest;
    return new Promise((done) => {
      const timer = setTimeout(() => answer(undefined), METRICS_TIMEOUT_MS);
      const answer = (snapshot: LiveMetricsSnapshot | undefined) => {
        clearTimeout(timer);
        this.metricRequests.delete(id);
        done(snapshot);
      };
      this.metricRequests.set(id, answer);
      worker.postMessage({ t: 'metrics', id } satisfies ToWorker);
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((done) => worker.once('exit', () => done()));
    const stopped = new Promise<void>((done) => worker.on('message', (m: FromWorker) => m.t === 'stopped' && done()));
    worker.postMessage({ t: 'stop' } satisfies ToWorker);
    const timeout = new Promise<'timeout'>((done) => setTimeout(() => done('timeout'), STOP_TIMEOUT_MS).unref());
    if ((await Promise.race([stopped, timeout])) === 'timeout') this.logger.warn('the live worker did not stop in time; terminating it');
    await worker.terminate();
    await exited;
  }

  private send(message: ToWorker): void {
    this.worker?.postMessage(message);
  }

  /** Starts the worker and resolves once its change feed runs, or rejects with the reason it could not start. */
  private spawn(): Promise<void> {
    const worker = new Worker(WORKER_SCRIPT, { workerData: { config: this.config } satisfies LiveWorkerData });
    return new Promise((ready, failed) => {
      let started = false;
      worker.on('message', (message: FromWorker) => {
        switch (message.t) {
          case 'value':
            return this.publish(message.key, message.value);
          case 'metrics':
            return this.metricRequests.get(message.id)?.(message.snapshot);
          case 'ready':
            started = true;
            this.worker = worker;
            this.restartDelayMs = 500;
            for (const spec of this.specs.values()) worker.postMessage({ t: 'watch', spec } satisfies ToWorker);
            return ready();
          case 'failed':
            return failed(new Error(message.message));
          case 'stopped':
            return; // awaited by stop()
        }
      });
      worker.on('error', (err) => this.logger.error({ err }, 'the live worker failed'));
      worker.on('exit', (code) => {
        if (this.worker === worker) this.worker = undefined;
        for (const answer of this.metricRequests.values()) answer(undefined);
        if (!started) return failed(new Error(`The live worker exited (code ${code}) before it was ready; see the log above.`));
        if (this.stopping) return;
        this.logger.error(
          { code, restartInMs: this.restartDelayMs },
          'the live worker exited; starting it again (subscribers keep their last value meanwhile)',
        );
        setTimeout(() => this.respawn(), this.restartDelayMs).unref();
        this.restartDelayMs = Math.min(10_000, this.restartDelayMs * 2);
      });
    });
  }

  private respawn(): void {
    if (this.stopping) return;
    this.spawn().catch((err: Error) => {
      this.logger.error({ err: err.message }, 'the live worker could not start again; retrying');
      setTimeout(() => this.respawn(), this.restartDelayMs).unref();
      this.restartDelayMs = Math.min(10_000, this.restartDelayMs * 2);
    });
  }
}
