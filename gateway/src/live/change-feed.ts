import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { EVERYTHING, type ChangeNotice } from '@thads/kit';
import { PgNotices } from '../changes/pg-notices';
import { ChangeBurst } from './change-burst';
import { ancestryOn, type UnitAncestry } from './unit-ancestry';

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

/** The schemas whose outboxes announce changes of figures. */
export const FIGURE_SCHEMAS = new Set(['cases', 'finances', 'complaints']);

/**
 * The default transport: PostgreSQL LISTEN/NOTIFY on the outbox channel. A notification
 * names an outbox row and, mostly, the units it changed (else the row is read); they are mapped to every unit whose figures they
 * count towards (any date), through the rollup edges. When the connection drops, it
 * reconnects with backoff and asks for a refresh of everything, so nothing is missed.
 */
export class PgChangeFeed extends EventEmitter implements ChangeFeed {
  private readonly notices: PgNotices;
  /** Outbox ids notified without their units since the last flush, by schema. */
  private pending = new Map<string, Set<number>>();
  /** Units named by the notifications since the last flush. */
  private pendingUnits = new Set<number>();
  private readonly burst: ChangeBurst;
  /** Where a changed unit's figures count: shared with the caches when they own the connection. */
  private readonly ancestry: UnitAncestry;
  /** Whether the notices connection is this feed's own (else its owner starts and stops it). */
  private readonly owned: boolean;

  /** On a connection of its own (a database URL), or on one it shares (the caches'), listening after them. */
  constructor(source: string | PgNotices, logger: Logger) {
    super();
    this.owned = typeof source === 'string';
    this.notices = typeof source === 'string' ? new PgNotices(source, logger) : source;
    this.ancestry = ancestryOn(this.notices);
    this.burst = new ChangeBurst(
      () => this.changedUnits(),
      this.ancestry,
      (change) => this.emit('change', change),
      logger,
    );
    this.notices.on('notice', (notice: ChangeNotice) => this.onNotice(notice));
    this.notices.on('connected', (isReconnect: boolean) => {
      if (this.owned) this.ancestry.warm(); // else the caches, whose connection it is, warm it
      if (!isReconnect) return;
      logger.info('change feed reconnected; refreshing every live query');
      this.emit('change', { kind: 'all', reason: 'reconnected' } satisfies Change);
    });
  }

  async start(): Promise<void> {
    if (this.owned) await this.notices.start();
  }

  async stop(): Promise<void> {
    this.burst.stop();
    if (this.owned) await this.notices.stop();
  }

  private onNotice(notice: ChangeNotice): void {
    if (notice.schema === EVERYTHING) {
      if (this.owned) this.ancestry.forget(); // else the caches, whose connection it is, forget it (the map is shared)
      this.emit('change', { kind: 'all', reason: 'figures rewritten', noticedAt: Date.now() } satisfies Change);
      return;
    }
    if (!FIGURE_SCHEMAS.has(notice.schema)) return;
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
    if (!this.notices.connected) return changed;
    for (const [schema, ids] of batches) {
      const rows = (await this.notices.query(`SELECT unit_ids FROM ${schema}.outbox WHERE id = ANY($1::bigint[])`, [[...ids]])).rows as {
        unit_ids: number[];
      }[];
      for (const r of rows) for (const u of r.unit_ids) changed.add(u);
    }
    return changed;
  }
}
