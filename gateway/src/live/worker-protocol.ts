import type { GatewayConfig } from '../config';
import type { WatchSpec } from './live-registry';
import type { LiveMetricsSnapshot } from './metrics';

/** What the live worker thread starts with. */
export interface LiveWorkerData {
  config: GatewayConfig;
}

/** Messages from the main thread to the live worker. */
export type ToWorker = { t: 'watch'; spec: WatchSpec } | { t: 'unwatch'; key: string } | { t: 'metrics'; id: number } | { t: 'stop' };

/** Messages from the live worker to the main thread. */
export type FromWorker =
  | { t: 'ready' }
  | { t: 'failed'; message: string }
  | { t: 'value'; key: string; value: string }
  | { t: 'metrics'; id: number; snapshot: LiveMetricsSnapshot }
  | { t: 'stopped' };
