import 'reflect-metadata';
import { parentPort, workerData } from 'node:worker_threads';
import { createLogger } from '@thads/kit';
import { startLocalEngine } from './live-engine';
import { LiveMetrics } from './metrics';
import { startRefreshExecutor } from './refresh-executor';
import type { FromWorker, LiveWorkerData, ToWorker } from './worker-protocol';

/**
 * The live worker thread: the change feed, the live registry and the refresh queries run
 * here, on an event loop of their own, so that a refresh's hops to the subgraphs never
 * wait behind the main thread's frames and HTTP requests. Values go back to the main
 * thread, which writes them to the sockets (see WorkerEngine).
 */
async function main(): Promise<void> {
  const port = parentPort!;
  const { config } = workerData as LiveWorkerData;
  const post = (message: FromWorker) => port.postMessage(message);
  const logger = createLogger('gateway-live', config.LOG_LEVEL);
  const metrics = new LiveMetrics();
  let executor: Awaited<ReturnType<typeof startRefreshExecutor>> | undefined;
  let engine: Awaited<ReturnType<typeof startLocalEngine>> | undefined;
  try {
    executor = await startRefreshExecutor(config, logger);
    engine = await startLocalEngine(config, executor.execute, (key, value) => post({ t: 'value', key, value }), metrics, logger);
  } catch (err) {
    await executor?.stop().catch(() => {});
    post({ t: 'failed', message: (err as Error).message });
    port.close();
    return;
  }
  const running = engine;
  port.on('message', (message: ToWorker) => {
    switch (message.t) {
      case 'watch':
        return running.watch(message.spec);
      case 'unwatch':
        return running.unwatch(message.key);
      case 'metrics':
        return post({ t: 'metrics', id: message.id, snapshot: metrics.snapshot() });
      case 'stop':
        void Promise.allSettled([running.stop(), executor!.stop()]).then(() => {
          post({ t: 'stopped' });
          port.close();
        });
    }
  });
  post({ t: 'ready' });
}

void main();
