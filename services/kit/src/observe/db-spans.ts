import { SpanKind, SpanStatusCode, context, trace, type Context, type Span } from '@opentelemetry/api';
import { Client, Pool } from 'pg';

/** A statement's short name: its verb and first table, e.g. "SELECT cases.case_month_rollup"; never its values. */
const names = new Map<string, string>();
const MAX_NAMES = 2000;
const VERB = /^\s*(?:--[^\n]*\n\s*)*([A-Za-z]+)/;
const TABLE = /\b(?:from|into|update|join|table)\s+((?:"[^"]+"|[A-Za-z_][\w$]*)(?:\.(?:"[^"]+"|[A-Za-z_][\w$]*))?)/i;

export function statementName(text: string): string {
  let name = names.get(text);
  if (name) return name;
  const verb = (VERB.exec(text)?.[1] ?? 'SQL').toUpperCase();
  const table = TABLE.exec(text)?.[1]?.replace(/"/g, '');
  name = table ? `${verb} ${table}` : verb;
  if (names.size < MAX_NAMES) names.set(text, name);
  return name;
}

interface Statement {
  text?: string;
  name?: string;
}

/** A span for one statement, child of the active span; none outside a traced request (background work). */
function startStatementSpan(parent: Context, text: string, database: string | undefined): Span | undefined {
  if (!trace.getSpan(parent)) return undefined;
  const name = statementName(text);
  return trace.getTracer('thads-db').startSpan(
    name,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'db.system': 'postgresql',
        'db.operation.name': name.split(' ')[0],
        'db.query.summary': name,
        ...(database ? { 'db.namespace': database } : {}),
      },
    },
    parent,
  );
}

function endSpan(span: Span, err: unknown): void {
  if (err) span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message?.slice(0, 200) });
  span.end();
}

let installed = false;

/**
 * One span per SQL statement, on every pg client of the process: pg's `query` is wrapped
 * (installed once, only when tracing is on). A pipeline (db/pipeline.ts) gets a span for each
 * of its statements. A pool's `connect` callback is bound to its caller's context: when all
 * connections are busy, pg-pool calls it back from whoever releases one.
 */
export function traceStatements(): void {
  if (installed) return;
  installed = true;
  const query = Client.prototype.query as (...args: unknown[]) => unknown;
  Client.prototype.query = function (this: Client, ...args: unknown[]) {
    const parent = context.active();
    if (!trace.getSpan(parent)) return query.apply(this, args);
    const first = args[0] as string | (Statement & { statements?: Statement[]; callback?: unknown; on?: unknown }) | undefined;
    const database = (this as unknown as { database?: string }).database;
    const texts = typeof first === 'string' ? [first] : Array.isArray(first?.statements) ? first.statements.map((s) => s.text ?? '') : [first?.text ?? ''];
    const spans = texts.map((t) => startStatementSpan(parent, t, database)).filter((s): s is Span => s !== undefined);
    const end = (err: unknown) => spans.forEach((s) => endSpan(s, err));
    // A submittable (pg's Query, a pipeline): its callback, else its events, say when it is done.
    if (first && typeof first === 'object' && typeof first.on === 'function') {
      const submittable = first as { callback?: (err: unknown, res?: unknown) => void; once(event: string, fn: (err?: unknown) => void): void };
      const callback = submittable.callback;
      if (typeof callback === 'function') {
        submittable.callback = (err: unknown, res?: unknown) => {
          end(err);
          callback(err, res);
        };
      } else {
        submittable.once('end', () => end(undefined));
        submittable.once('error', (err) => end(err));
      }
      return query.apply(this, args);
    }
    const last = args.length - 1;
    if (typeof args[last] === 'function') {
      const callback = args[last] as (err: unknown, res?: unknown) => void;
      args[last] = (err: unknown, res?: unknown) => {
        end(err);
        callback(err, res);
      };
      return query.apply(this, args);
    }
    const result = query.apply(this, args) as Promise<unknown>;
    return result.then(
      (res) => {
        end(undefined);
        return res;
      },
      (err: unknown) => {
        end(err);
        throw err;
      },
    );
  } as typeof Client.prototype.query;
  const connect = Pool.prototype.connect as (...args: unknown[]) => unknown;
  Pool.prototype.connect = function (this: Pool, ...args: unknown[]) {
    if (typeof args[0] === 'function') args[0] = context.bind(context.active(), args[0] as (...a: unknown[]) => unknown);
    return connect.apply(this, args);
  } as typeof Pool.prototype.connect;
}
