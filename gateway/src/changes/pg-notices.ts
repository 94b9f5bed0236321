import { EventEmitter } from 'node:events';
import { Client } from 'pg';
import type { Logger } from 'pino';
import { CHANGES_CHANNEL, parseChangeNotice, type ChangeNotice } from '@thads/kit';

/**
 * Names of notices kept: a mutation asks for its own a moment after they are sent, and one
 * that has gone falls back to the barrier.
 */
const NAMES_KEPT = 10_000;

/**
 * One LISTEN connection on the channel of committed changes: it hands every notice on as it
 * arrives, reconnects with backoff when the connection drops (saying so, since notices may
 * have been missed meanwhile), and offers a barrier: a round trip on this connection, before
 * whose answer PostgreSQL delivers every notice of a transaction committed before it.
 *
 * Events: `notice` (a ChangeNotice), `connected` (true on a reconnection), `disconnected`.
 */
export class PgNotices extends EventEmitter {
  private client?: Client;
  private stopped = false;
  private reconnecting = false;
  /** The statements on the connection, one after another (pg queues them anyway, and warns when asked to). */
  private turn: Promise<unknown> = Promise.resolve();
  /** A barrier waiting for its turn: callers that come meanwhile share it. */
  private nextBarrier?: Promise<boolean>;
  /** The names of the latest notices heard (writers name a request's notices), oldest first. */
  private readonly names = new Set<string>();
  /** Barriers sent, for the metrics and the tests. */
  barriersSent = 0;

  constructor(
    private readonly databaseUrl: string,
    private readonly logger: Logger,
    private readonly applicationName = 'gateway-changes',
  ) {
    super();
  }

  get connected(): boolean {
    return this.client !== undefined;
  }

  async start(): Promise<void> {
    await this.connect(false);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.client?.end().catch(() => {});
  }

  /** A query on the listening connection (reads that must see what a notice announced). */
  query(text: string, values: unknown[]): Promise<{ rows: unknown[] }> {
    const client = this.client;
    if (!client) return Promise.reject(new Error('the change notices connection is down'));
    return this.inTurn(() => client.query(text, values));
  }

  /** Runs a statement once the ones before it on the connection have finished. */
  private inTurn<T>(statement: () => Promise<T>): Promise<T> {
    const result = this.turn.then(statement, statement);
    this.turn = result.catch(() => {});
    return result;
  }

  /** Whether the notice of this name has been handed on (among the latest NAMES_KEPT). */
  hasHeard(name: string): boolean {
    return this.names.has(name);
  }

  /**
   * Resolves once every notice committed before this call has been handed on (true), or
   * false after `timeoutMs` or when the connection is down: then nothing can be said.
   *
   * A listening session is sent the notifications waiting for it before the answer to any
   * statement it runs (the way libpq's clients have always polled for them), and pg hands
   * each one on as it reads it: so a statement sent after the caller's commit, once answered,
   * means every notice of that commit has been handed on. It is a plain round trip, not a
   * notification of its own that every listener on the channel would have to wake up for.
   * Callers that come while a barrier waits for its turn share it: its statement is sent
   * after all of their calls.
   */
  barrier(timeoutMs = 2000): Promise<boolean> {
    const client = this.client;
    if (!client) return Promise.resolve(false);
    if (this.nextBarrier) return this.nextBarrier;
    const barrier = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.inTurn(() => {
        if (this.nextBarrier === barrier) this.nextBarrier = undefined; // sent now: later callers need the next one
        this.barriersSent++;
        return client.query('SELECT 1');
      })
        .then(
          () => resolve(this.client === client),
          () => resolve(false),
        )
        .finally(() => clearTimeout(timer));
    });
    this.nextBarrier = barrier;
    return barrier;
  }

  private async connect(isReconnect: boolean): Promise<void> {
    const client = new Client({ connectionString: this.databaseUrl, application_name: this.applicationName });
    client.on('error', (err) => this.logger.warn({ err: err.message }, 'change notices connection error'));
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
      this.logger.warn('change notices disconnected; reconnecting');
      this.emit('disconnected');
      void this.reconnect();
    });
    this.client = client;
    this.emit('connected', isReconnect);
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
          this.logger.info('change notices reconnected');
          return;
        } catch (err) {
          this.logger.warn({ err: (err as Error).message, attempt }, 'change notices reconnect failed');
        }
      }
    } finally {
      this.reconnecting = false;
    }
  }

  private onNotification(payload: string): void {
    const notice: ChangeNotice | null = parseChangeNotice(payload);
    if (!notice) return;
    this.emit('notice', notice);
    if (notice.name) {
      this.names.add(notice.name);
      if (this.names.size > NAMES_KEPT) this.names.delete(this.names.values().next().value!);
    }
  }
}
