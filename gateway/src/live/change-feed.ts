import { EventEmitter } from 'node:events';
import { Client } from 'pg';
import type { Logger } from 'pino';
import { CHANGES_CHANNEL, parseChangeNotice } from '@thads/kit';
import { ChangeBurst } from './change-burst';
import { UnitAncestry } from './unit-ancestry';

/** What a committed change means for the live layer. */
export type Change = ({ kind: 'units'; unitIds: Set<number> } | { kind: 'all'; reason: string }) & {
  /** When the first notification behind it reached the gateway (ms since the epoch), for the feed's latency metric. */
  noticedAt?: number;
};

export interface ChangeFeed {
  on(event: 'change', listener: (change: Change) => void): this;
  start(): Promise<void>;
  stop(): Promise<void>;
}

const SCHEMAS = new Set(['cases', 'finances', 'complaints']);

/**
 * The default transport: PostgreSQL LISTEN/NOTIFY on the outbox channel. A notification
 * names an outbox row and, mostly, the units it changed (else the row is read); they are mapped to every unit whose figures they
 * count towards (any date), through the rollup edges. When the connection drops, it
 * reconnects with backoff and asks for a refresh of everything, so nothing is missed.
 */
export class PgChangeFeed extends EventEmitter implements ChangeFeed {
  private client?: Client;
  private stopped = false;
  private reconnecting = false;
  /** Outbox ids notified without their units since the last flush, by schema. */
  private pending = new Map<string, Set<number>>();
  /** Units named by the notifications since the last flush. */
  private pendingUnits = new Set<number>();
  private readonly burst: ChangeBurst;

  constructor(
    private readonly databaseUrl: string,
    private readonly logger: Logger,
  ) {
    super();
    const ancestry = new UnitAncestry((text, values) => this.client!.query(text, values));
    this.burst = new ChangeBurst(() => this.changedUnits(), ancestry, (change) => this.emit('change', change), logger);
  }

  async start(): Promise<void> {
    await this.connect(false);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.burst.stop();
    await this.client?.end().catch(() => {});
  }

  private async connect(isReconnect: boolean): Promise<void> {
    const client = new Client({ connectionString: this.databaseUrl, application_name: 'gateway-live' });
    client.on('error', (err) => this.logger.warn({ err: err.message }, 'change feed connection error'));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch (err) {
      // A client that never connected must not start a reconnect loop of its own.
      await client.end().catch(() => {});
      throw err;
    }
    client.on('notification', (n) => this.onNotification(n.payload ?? ''));
    client.on('end', () => {
      if (this.stopped || this.client !== client) return;
      this.client = undefined;
      this.logger.warn('change feed disconnected; reconnecting');
      void this.reconnect();
    });
    this.client = client;
    if (isReconnect) {
      this.logger.info('change feed reconnected; refreshing every live query');
      this.emit('change', { kind: 'all', reason: 'reconnected' } satisfies Change);
    }
  }

  /** One reconnect loop at a time, with backoff, until connected or stopped. */
  private async reconnect(): Promise<void> {
    if (this.reconnecting) return;
    this.reconnecting = true;
    try {
      for (let attempt = 0; !this.stopped; attempt++) {
        await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** attempt)));
        if (this.stopped) return;
        try {
          await this.connect(true);
          return;
        } catch (err) {
          this.logger.warn({ err: (err as Error).message, attempt }, 'change feed reconnect failed');
        }
      }
    } finally {
      this.reconnecting = false;
    }
  }

  private onNotification(payload: string): void {
    const notice = parseChangeNotice(payload);
    if (!notice || !SCHEMAS.has(notice.schema)) return;
    if (notice.unitIds) for (const u of notice.unitIds) this.pendingUnits.add(u);
    else (this.pending.get(notice.schema) ?? this.pending.set(notice.schema, new Set()).get(notice.schema)!).add(notice.outboxId);
    // The notifications of a burst make one change event (and at most one outbox read a schema).
    this.burst.touch();
  }

  /** The units named by the notifications since the last flush, and those of the outbox rows notified without them. */
  private async changedUnits(): Promise<Set<number>> {
    const batches = [...this.pending];
    this.pending.clear();
    const changed = this.pendingUnits;
    this.pendingUnits = new Set();
    const client = this.client;
    if (!client) return changed;
    for (const [schema, ids] of batches) {
      const rows = (await client.query(`SELECT unit_ids FROM ${schema}.outbox WHERE id = ANY($1::bigint[])`, [[...ids]])).rows as { unit_ids: number[] }[];
      for (const r of rows) for (const u of r.unit_ids) changed.add(u);
    }
    return changed;
  }
}
