import type { PoolClient, QueryResult } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { forgetPreparedIfUnsure, isPipeline, runPipeline, type Statement } from './pipeline';
import { statementName } from './statement-name';
import { transactionClient } from './transaction-client';

/**
 * The statements of a write transaction not sent yet, in call order: deferred writes, and
 * the reads asked for during the current turn (sent together at the end of it, so reads
 * started together cost one round trip).
 */
class PendingStatements {
  private entries: { statement: Statement; waiter?: { resolve: (result: QueryResult) => void; reject: (err: Error) => void } }[] = [];
  private scheduled = false;
  /** The error of a flush nobody waited for: the transaction cannot commit. */
  failure?: Error;

  constructor(private readonly client: PoolClient) {}

  get size(): number {
    return this.entries.length;
  }

  /** Whether BEGIN (always the first entry) is still waiting. */
  get unbegun(): boolean {
    return this.entries[0]?.statement.text === 'BEGIN';
  }

  defer(statement: Statement): void {
    this.entries.push({ statement });
  }

  read(statement: Statement): Promise<QueryResult> {
    return new Promise((resolve, reject) => {
      this.entries.push({ statement, waiter: { resolve, reject } });
      if (!this.scheduled) {
        this.scheduled = true;
        process.nextTick(() => this.flush());
      }
    });
  }

  /** Sends everything waiting, in one round trip. */
  flush(): void {
    this.scheduled = false;
    const entries = this.entries.splice(0);
    if (!entries.length) return;
    runPipeline(
      this.client,
      entries.map((e) => e.statement),
    ).then(
      (results) => entries.forEach((e, i) => e.waiter?.resolve(results[i]!)),
      (err: Error) => {
        const waiting = entries.filter((e) => e.waiter);
        if (!waiting.length) this.failure ??= err;
        waiting.forEach((e) => e.waiter!.reject(err));
      },
    );
  }

  clear(): void {
    this.entries.length = 0;
  }
}

const pending = new WeakMap<PoolClient, PendingStatements>();

/**
 * A statement of the write path, run as a named prepared statement on the transaction's
 * connection: PostgreSQL parses it once a connection instead of at every call (and, in a
 * `writeTransaction`, plans it once too), which is most of the server's cost of a
 * single-row write. Outside a transaction it runs as a plain query. In a `writeTransaction`
 * it goes with the statements deferred before it and the reads started in the same turn, in
 * one round trip.
 */
export async function prepared<R = Record<string, unknown>>(db: DataSource | EntityManager, text: string, values: unknown[]): Promise<R[]> {
  return run<R>(db, await transactionClient(db), text, values);
}

async function run<R>(db: DataSource | EntityManager, client: PoolClient | undefined, text: string, values: unknown[]): Promise<R[]> {
  if (!client) return (await ('manager' in db ? db.manager : db).query(text, values)) as R[];
  const batch = pending.get(client);
  if (batch) return (await batch.read({ name: statementName(text), text, values })).rows as R[];
  return (await client.query({ name: statementName(text), text, values })).rows as R[];
}

/**
 * A write whose result the caller does not need. In a `writeTransaction` it waits to go
 * with the next statement that needs an answer, or with the COMMIT: the rows, deltas and
 * change event of a mutation cost one round trip together instead of one each. An error
 * then surfaces there and fails the transaction as a whole. Elsewhere it runs at once.
 */
export async function deferred(db: DataSource | EntityManager, text: string, values: unknown[]): Promise<void> {
  const client = await transactionClient(db);
  const batch = client && pending.get(client);
  if (batch) batch.defer({ name: statementName(text), text, values });
  else await run(db, client, text, values);
}

let pipelining = true;

/**
 * A single write's statements take the connection's cached plan. Their arrays (unit ids,
 * months, deltas) hold a few elements, and PostgreSQL estimates a generic plan's unnest at
 * ten rows: a generic plan then always looks dearer than a custom one, so by default every
 * execution was planned again (a quarter of the database's time for a write). The plans are
 * the same for one element and for ten; a large write (an import) runs outside
 * `writeTransaction` and keeps planning for its own sizes.
 */
const GENERIC_PLANS = 'SET LOCAL plan_cache_mode = force_generic_plan';

/** Whether `writeTransaction` pipelines (WRITE_PIPELINE, set once at start). */
export function setWritePipelining(enabled: boolean): void {
  pipelining = enabled;
}

/**
 * The transaction of a single write, in as few round trips as its reads allow: BEGIN goes
 * with the first read, deferred writes with the next read or the COMMIT, reads started in
 * one turn together. Anything else run on the connection meanwhile (a TypeORM query, a
 * COPY) sends the waiting statements first, so the order of the statements is always the
 * order of the calls. Rolls back on any error; a COMMIT the server turned into a rollback is
 * an error too.
 */
export async function writeTransaction<T>(db: DataSource, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  if (!pipelining) return db.transaction(work); // WRITE_PIPELINE=off: one statement a round trip
  const runner = db.createQueryRunner();
  const client = (await runner.connect()) as PoolClient;
  const batch = new PendingStatements(client);
  batch.defer({ text: 'BEGIN' });
  batch.defer({ text: GENERIC_PLANS });
  pending.set(client, batch);
  const query = client.query as (...args: unknown[]) => Promise<unknown>;
  // Another caller of the connection: the waiting statements go first (pg runs a connection's queries in order).
  client.query = function (this: PoolClient, ...args: unknown[]) {
    if (batch.size && !isPipeline(args[0])) batch.flush();
    return query.apply(this, args);
  } as PoolClient['query'];
  try {
    const result = await work(runner.manager);
    const commit = batch.read({ text: 'COMMIT' });
    batch.flush();
    const { command } = await commit;
    if (batch.failure) throw batch.failure;
    if (command !== 'COMMIT') throw new Error('the transaction was rolled back by the server at COMMIT');
    return result;
  } catch (err) {
    const begun = !batch.unbegun;
    batch.clear();
    if (begun) {
      await query.call(client, 'ROLLBACK').catch(() => {});
      await forgetPreparedIfUnsure(client).catch(() => {});
    }
    // A deferred statement that failed first explains the errors of the statements after it.
    throw batch.failure ?? err;
  } finally {
    client.query = query as unknown as PoolClient['query'];
    pending.delete(client);
    await runner.release();
  }
}
