import { Query, type PoolClient, type QueryResult } from 'pg';

// pg's own conversion of a JavaScript value to a bind parameter (what client.query uses; pg-cursor imports it the same way).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { prepareValue } = require('pg/lib/utils') as { prepareValue: (value: unknown) => unknown };

/** One statement of a pipeline: named statements are parsed once a connection, like `prepared`'s. */
export interface Statement {
  name?: string;
  text: string;
  values?: readonly unknown[];
}

/** The parts of pg's connection a pipeline writes to (the extended-query messages). */
interface Connection {
  parse(message: { text: string; name: string; types: unknown[] }): void;
  bind(message: { portal: string; statement: string; values: unknown[]; binary: boolean }): void;
  describe(message: { type: 'P'; name: string }): void;
  execute(message: { portal: string; rows: number }): void;
  sync(): void;
  stream: { cork?(): void; uncork?(): void };
  parsedStatements: Record<string, string>;
  submittedNamedStatements: Record<string, string>;
}

/** pg's Query, as far as a pipeline extends it (its result handling is what pg documents for submittables). */
interface PgQuery {
  handleError(err: Error, connection: unknown): void;
  handleReadyForQuery(connection: unknown): void;
}
const PgQueryBase = Query as unknown as new (config: { text: string }) => PgQuery;

/** Connections on which a pipeline failed: which of its statements the server parsed is unknown. */
const unsure = new WeakSet<PoolClient>();

/**
 * Several statements in one round trip: their Parse/Bind/Execute messages go out together
 * followed by a single Sync, and PostgreSQL answers them in order. After an error the
 * server skips the rest up to the Sync, so they all fail together (inside a transaction,
 * the transaction is then aborted). A pg "submittable" (the extension point pg-cursor uses):
 * pg queues it behind the connection's other queries and hands it the replies; pg's Query
 * already collects one result per completed statement.
 */
class PipelinedQuery extends PgQueryBase {
  private readonly submitted: string[] = [];

  constructor(
    private readonly statements: readonly Statement[],
    private readonly client: PoolClient,
    done: (err: Error | null, results?: QueryResult | QueryResult[]) => void,
  ) {
    super({ text: statements.map((s) => s.text.split('\n')[0]).join('; ') });
    (this as unknown as { callback: typeof done }).callback = done;
  }

  submit(connection: Connection): Error | null {
    let bound: unknown[][];
    try {
      bound = this.statements.map((s) => (s.values ?? []).map((v) => prepareValue(v)));
    } catch (err) {
      return err as Error; // nothing written yet
    }
    connection.stream.cork?.();
    try {
      this.statements.forEach((s, i) => {
        const name = s.name ?? '';
        if (!name || (connection.parsedStatements[name] === undefined && connection.submittedNamedStatements[name] === undefined)) {
          connection.parse({ text: s.text, name, types: [] });
          if (name) {
            connection.submittedNamedStatements[name] = s.text;
            this.submitted.push(name);
          }
        }
        connection.bind({ portal: '', statement: name, values: bound[i]!, binary: false });
        connection.describe({ type: 'P', name: '' });
        connection.execute({ portal: '', rows: 0 });
      });
      connection.sync();
    } finally {
      connection.stream.uncork?.();
    }
    return null;
  }

  override handleError(err: Error, connection: Connection): void {
    unsure.add(this.client);
    super.handleError(err, connection);
  }

  override handleReadyForQuery(connection: Connection): void {
    for (const name of this.submitted) {
      connection.parsedStatements[name] = connection.submittedNamedStatements[name]!;
      delete connection.submittedNamedStatements[name];
    }
    super.handleReadyForQuery(connection);
  }
}

/** Whether a query handed to pg is a pipeline's (a guard on a connection lets those through). */
export function isPipeline(query: unknown): boolean {
  return query instanceof PipelinedQuery;
}

/** Runs the statements in one round trip; one result a statement, in order. */
export function runPipeline(client: PoolClient, statements: readonly Statement[]): Promise<QueryResult[]> {
  return new Promise((resolve, reject) => {
    const query = new PipelinedQuery(statements, client, (err, results) => {
      if (err) reject(err);
      else resolve(Array.isArray(results) ? results : [results!]);
    });
    void client.query(query as never);
  });
}

/**
 * After a failed pipeline (and the transaction's ROLLBACK): forgets every prepared statement
 * of the connection, on both sides, so the next use parses again instead of assuming a
 * statement the server may never have parsed.
 */
export async function forgetPreparedIfUnsure(client: PoolClient): Promise<void> {
  if (!unsure.has(client)) return;
  unsure.delete(client);
  await client.query('DEALLOCATE ALL');
  const connection = (client as unknown as { connection: Connection }).connection;
  connection.parsedStatements = {};
  connection.submittedNamedStatements = {};
}
