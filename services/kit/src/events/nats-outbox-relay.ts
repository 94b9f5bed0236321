import { connect, type JetStreamClient, type NatsConnection } from 'nats';
import { Client } from 'pg';
import type { Logger } from 'pino';
import { CHANGES_CHANNEL, parseChangeNotice } from '../write/outbox';
import { ChangeStream, type ChangeMessage } from './change-stream';

/** Rows behind the newest published one that the once-a-second pass reads again, for a notification that was lost. */
const RESCAN = 200;
const BATCH = 1000;

/**
 * Publishes one schema's outbox to JetStream, for gateways that take their changes from
 * NATS. It resumes after the last row the stream holds for the schema, wakes on the
 * outbox's NOTIFY and polls every second besides, and publishes each row with the message
 * id `<schema>:<id>`: a row published twice (a restart, two replicas of the service) is
 * dropped by the stream. A NOTIFY names its row, so a row whose transaction commits after a
 * later row was published is read by its id; the once-a-second pass also re-reads the last
 * rows, in case a notification was lost with the connection.
 */
export class NatsOutboxRelay {
  private nc?: NatsConnection;
  private js?: JetStreamClient;
  private pg?: Client;
  private timer?: NodeJS.Timeout;
  private last = 0;
  private readonly published = new Set<number>();
  /** Rows named by notifications since the last pass. */
  private readonly notified = new Set<number>();
  private rescan = true;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  /** Set while passes fail: the failure is logged once, and the recovery. */
  private failing = false;

  constructor(
    private readonly schema: string,
    private readonly databaseUrl: string,
    private readonly natsUrl: string,
    private readonly logger: Logger,
    private readonly stream = new ChangeStream(),
  ) {}

  async start(): Promise<void> {
    try {
      this.nc = await connect({ servers: this.natsUrl.split(','), name: `${this.schema}-outbox-relay`, maxReconnectAttempts: -1 });
    } catch (err) {
      throw new Error(
        `OUTBOX_RELAY=nats but NATS is not reachable at ${this.natsUrl} (${(err as Error).message}); start it, set NATS_URL, or use OUTBOX_RELAY=none.`,
        { cause: err },
      );
    }
    await this.stream.ensure(this.nc);
    this.js = this.nc.jetstream();
    this.pg = new Client({ connectionString: this.databaseUrl, application_name: `${this.schema}-outbox-relay` });
    this.pg.on('error', (err) => this.logger.warn({ err: err.message }, 'outbox relay: PostgreSQL connection error; polling goes on'));
    await this.pg.connect();
    this.last = await this.resumePoint();
    await this.pg.query(`LISTEN ${CHANGES_CHANNEL}`);
    this.pg.on('notification', (n) => {
      const notice = parseChangeNotice(n.payload ?? '');
      if (notice?.schema !== this.schema) return;
      this.notified.add(notice.outboxId);
      this.kick();
    });
    this.timer = setInterval(() => {
      this.rescan = true;
      this.kick();
    }, 1000);
    this.logger.info({ stream: this.stream.name, subject: this.stream.subject(this.schema), after: this.last }, 'outbox relay to NATS started');
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running?.catch(() => {});
    await this.pg?.end().catch(() => {});
    await this.nc?.drain().catch(() => {});
  }

  /** Resolves when every row committed before the call has been published (for tests and shutdown). */
  async flush(): Promise<void> {
    this.kick();
    while (this.running) await this.running;
  }

  /** After the last row the stream holds for this schema; on a first start, after the newest row (history is not replayed). */
  private async resumePoint(): Promise<number> {
    const jsm = await this.nc!.jetstreamManager();
    const lastOnStream = await jsm.streams.getMessage(this.stream.name, { last_by_subj: this.stream.subject(this.schema) }).then(
      (m) => (m.json() as ChangeMessage).id,
      () => undefined,
    );
    if (lastOnStream !== undefined) return lastOnStream;
    const [row] = (await this.pg!.query(`SELECT coalesce(max(id), 0)::text AS id FROM ${this.schema}.outbox`)).rows as { id: string }[];
    return Number(row!.id);
  }

  private kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pump()
      .then(
        () => {
          if (this.failing) this.logger.info({ after: this.last }, 'outbox relay recovered');
          this.failing = false;
        },
        (err: Error) => {
          if (!this.failing) this.logger.warn({ err: err.message }, 'outbox relay pass failed; retrying every second (logged once until it recovers)');
          this.failing = true;
        },
      )
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  private async pump(): Promise<void> {
    for (;;) {
      const floor = this.rescan ? Math.max(0, this.last - RESCAN) : this.last;
      this.rescan = false;
      const named = [...this.notified].filter((id) => id <= floor);
      this.notified.clear();
      const rows = (
        await this.pg!.query(`SELECT id::text AS id, unit_ids FROM ${this.schema}.outbox WHERE id > $1 OR id = ANY($2::bigint[]) ORDER BY id LIMIT ${BATCH}`, [
          floor,
          named,
        ])
      ).rows as { id: string; unit_ids: number[] }[];
      const fresh = rows.map((r) => ({ id: Number(r.id), unitIds: r.unit_ids })).filter((r) => !this.published.has(r.id));
      await Promise.all(
        fresh.map((r) =>
          this.js!.publish(this.stream.subject(this.schema), JSON.stringify({ schema: this.schema, id: r.id, unitIds: r.unitIds } satisfies ChangeMessage), {
            msgID: `${this.schema}:${r.id}`,
          }),
        ),
      );
      for (const r of fresh) {
        this.published.add(r.id);
        if (r.id > this.last) this.last = r.id;
      }
      for (const id of this.published) if (id <= this.last - RESCAN) this.published.delete(id);
      if (rows.length < BATCH || fresh.length === 0) return;
    }
  }
}
