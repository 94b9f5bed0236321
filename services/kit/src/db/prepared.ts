import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { forgetPreparedIfUnsure, isPipeline, runPipeline, type Statement } from './pipeline';

const names = new Map<string, string>();

function nameOf(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `thads_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    names.set(text, name);
  }
  return name;
}

/** Statements of a write transaction not sent yet, by connection (see `writeTransaction`). */
const pending = new WeakMap<PoolClient, Statement[]>();

async function transactionClient(db: DataSource | EntityManager): Promise<PoolClient | undefined> {
  const manager = 'manager' in db ? db.manager : db;
  const runner = manager.queryRunner;
  if (!runner || runner.isReleased) return undefined;
  return (await runner.connect()) as PoolClient;
}

/**
 * A statement of the write path, run as a named prepared statement on the transaction's
 * connection: PostgreSQL parses and plans it once a connection instead of at every call,
 * which is most of the server's cost of a single-row write. Outside a transaction it runs
 * as a plain query. In a `writeTransaction`, the statements deferred before it go in the
 * same round trip.
 */
export async function prepared<R = Record<string, unknown>>(db: DataSource | EntityManager, text: string, values: unknown[]): Promise<R[]> {
  const client = await transactionClient(db);
  if (!client) return (await ('manager' in db ? db.manager : db).query(text, values)) as R[];
  const queue = pending.get(client);
  if (queue?.length) {
    const results = await runPipeline(client, [...queue.splice(0), { name: nameOf(text), text, values }]);
    return results[results.length - 1]!.rows as R[];
  }
  return (await client.query({ name: nameOf(text), text, values })).rows as R[];
}

/**
 * A write whose result the caller does not need. In a `writeTransaction` it waits to go
 * with the next statement that needs an answer, or with the COMMIT: the rows, deltas and
 * change event of a mutation cost one round trip together instead of one each. An error
 * then surfaces there and fails the transaction as a whole. Elsewhere it runs at once.
 */
export async function deferred(db: DataSource | EntityManager, text: string, values: unknown[]): Promise<void> {
  const client = await transactionClient(db);
  const queue = client && pending.get(client);
  if (queue) queue.push({ name: nameOf(text), text, values });
  else await prepared(db, text, values);
}

/**
 * The transaction of a single write, in as few round trips as its reads allow: BEGIN goes
 * with the first statement, deferred writes with the next read or the COMMIT. Anything else
 * run on the connection meanwhile (a TypeORM query, a COPY) sends the deferred statements
 * first, so the order of the statements is always the order of the calls. Rolls back on
 * any error; a COMMIT the server turned into a rollback is an error too.
 */
export async function writeTransaction<T>(db: DataSource, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  const runner = db.createQueryRunner();
  const client = (await runner.connect()) as PoolClient;
  const queue: Statement[] = [{ text: 'BEGIN' }];
  pending.set(client, queue);
  let failure: Error | undefined;
  const query = client.query as (...args: unknown[]) => Promise<unknown>;
  // Another caller of the connection: the deferred statements go first (pg runs a connection's queries in order).
  client.query = function (this: PoolClient, ...args: unknown[]) {
    if (queue.length && !isPipeline(args[0])) runPipeline(client, queue.splice(0)).catch((err: Error) => (failure ??= err));
    return query.apply(this, args);
  } as PoolClient['query'];
  try {
    const result = await work(runner.manager);
    if (failure) throw failure;
    const results = await runPipeline(client, [...queue.splice(0), { text: 'COMMIT' }]);
    if (failure) throw failure;
    if (results[results.length - 1]!.command !== 'COMMIT') throw new Error('the transaction was rolled back by the server at COMMIT');
    return result;
  } catch (err) {
    const begun = queue[0]?.text !== 'BEGIN';
    queue.length = 0;
    if (begun) {
      await query.call(client, 'ROLLBACK').catch(() => {});
      await forgetPreparedIfUnsure(client).catch(() => {});
    }
    // A deferred statement that failed first explains the errors of the statements after it.
    throw failure ?? err;
  } finally {
    client.query = query as unknown as PoolClient['query'];
    pending.delete(client);
    await runner.release();
  }
}
