import { Gauge, type Registry } from 'prom-client';

/** The parts of a pg Pool the gauges read. */
export interface ObservedPool {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
  readonly ended?: boolean;
  readonly options?: { max?: number };
}

type PoolsOf = () => Record<string, ObservedPool | undefined>;

/** Pools by the service that owns them; each service reads its own at a scrape. */
const owners = new Map<string, Set<PoolsOf>>();

/**
 * Names the PostgreSQL pools a service uses, read at each scrape (a pool opened later, as the
 * report reads' pool is, appears once open). Returns a function that forgets them.
 */
export function observePools(service: string, pools: PoolsOf): () => void {
  let set = owners.get(service);
  if (!set) owners.set(service, (set = new Set()));
  set.add(pools);
  return () => set.delete(pools);
}

/** The open pools of a service, summed by name (two gateways of one test process, say). */
function poolsOf(service: string): Map<string, { total: number; idle: number; waiting: number; max: number }> {
  const sums = new Map<string, { total: number; idle: number; waiting: number; max: number }>();
  for (const read of owners.get(service) ?? []) {
    for (const [name, pool] of Object.entries(read())) {
      if (!pool || pool.ended) continue;
      const sum = sums.get(name) ?? { total: 0, idle: 0, waiting: 0, max: 0 };
      sum.total += pool.totalCount;
      sum.idle += pool.idleCount;
      sum.waiting += pool.waitingCount;
      sum.max += pool.options?.max ?? 10;
      sums.set(name, sum);
    }
  }
  return sums;
}

/** Gauges of a service's pools: connections open, idle, the most it may open, and queries waiting for one. */
export function poolGauges(registry: Registry, service: string): void {
  const gauge = (name: string, help: string, value: (s: { total: number; idle: number; waiting: number; max: number }) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['pool'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [pool, sums] of poolsOf(service)) this.set({ pool }, value(sums));
      },
    });
  gauge('thads_db_pool_connections', 'Connections open in each PostgreSQL pool, busy and idle.', (s) => s.total);
  gauge('thads_db_pool_idle_connections', 'Open connections of each pool that no query is using.', (s) => s.idle);
  gauge('thads_db_pool_waiting_queries', 'Queries waiting for a connection of each pool (all connections busy, none may be opened).', (s) => s.waiting);
  gauge('thads_db_pool_max_connections', 'The most connections each pool may open.', (s) => s.max);
}
