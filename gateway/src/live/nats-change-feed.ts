import { EventEmitter } from 'node:events';
import { DeliverPolicy, Events, connect, type ConsumerMessages, type NatsConnection } from 'nats';
import type { Logger } from 'pino';
import { ChangeStream, type ChangeMessage } from '@thads/kit';
import type { Change, ChangeFeed } from './change-feed';
import { ChangeBurst } from './change-burst';
import type { UnitAncestry } from './unit-ancestry';

/**
 * The scale-out transport: the services' outbox relays publish every committed change to
 * a JetStream stream (THADS_CHANGES by default), and each gateway reads it with an ordered consumer of
 * its own, from the moment it starts (every replica sees every change; it refreshes
 * everything when it starts anyway). After a reconnection to NATS it refreshes every live
 * query, as the PostgreSQL transport does, so nothing is missed.
 */
export class NatsChangeFeed extends EventEmitter implements ChangeFeed {
  private nc?: NatsConnection;
  private messages?: ConsumerMessages;
  private stopped = false;
  /** Units changed since the last flush. */
  private pending = new Set<number>();
  private readonly burst: ChangeBurst;

  constructor(
    private readonly natsUrl: string,
    /** Reads the unit hierarchy (on the gateway's own pool). */
    ancestry: UnitAncestry,
    private readonly logger: Logger,
    private readonly stream = new ChangeStream(),
  ) {
    super();
    this.burst = new ChangeBurst(
      async () => {
        const changed = this.pending;
        this.pending = new Set();
        return changed;
      },
      ancestry,
      (change) => this.emit('change', change),
      logger,
    );
  }

  async start(): Promise<void> {
    try {
      this.nc = await connect({ servers: this.natsUrl.split(','), name: 'gateway-live', maxReconnectAttempts: -1 });
    } catch (err) {
      throw new Error(
        `LIVE_TRANSPORT=nats but NATS is not reachable at ${this.natsUrl} (${(err as Error).message}); start it, set NATS_URL, or use LIVE_TRANSPORT=postgres.`,
        { cause: err },
      );
    }
    await this.stream.ensure(this.nc);
    const consumer = await this.nc.jetstream().consumers.get(this.stream.name, { filterSubjects: this.stream.all, deliver_policy: DeliverPolicy.New });
    this.messages = await consumer.consume();
    void this.read(this.messages);
    void this.watch(this.nc);
    this.logger.info({ url: this.natsUrl, stream: this.stream.name }, 'change feed: NATS JetStream');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.burst.stop();
    await this.messages?.close().catch(() => {});
    await this.nc?.close().catch(() => {});
  }

  private async read(messages: ConsumerMessages): Promise<void> {
    for await (const m of messages) {
      let change: ChangeMessage;
      try {
        change = m.json<ChangeMessage>();
      } catch {
        this.logger.warn({ subject: m.subject }, 'change feed: a message that is not JSON was skipped');
        continue;
      }
      if (!Array.isArray(change.unitIds)) continue;
      for (const id of change.unitIds) this.pending.add(Number(id));
      // The messages of a burst share one hierarchy read and one change event, as on the
      // PostgreSQL transport: read one by one, a cold cache at 200 writes/s fell seconds behind.
      this.burst.touch();
    }
  }

  private async watch(nc: NatsConnection): Promise<void> {
    for await (const status of nc.status()) {
      if (this.stopped) return;
      if (status.type === Events.Disconnect) this.logger.warn('change feed: NATS disconnected; reconnecting');
      if (status.type === Events.Reconnect) {
        this.logger.info('change feed: NATS reconnected; refreshing every live query');
        this.emit('change', { kind: 'all', reason: 'reconnected' } satisfies Change);
      }
    }
  }
}
