import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { deferred } from '../db/prepared';

/** The channel every committed change is announced on (payload: "<schema>:<outbox id>"). */
export const CHANGES_CHANNEL = 'thads_changes';

/**
 * The header of a subgraph's answer to a mutation: the names of the notices its writes caused
 * (comma-separated; empty when it wrote nothing). The gateway answers the mutation once it
 * has heard them, instead of a round trip to the database to make sure.
 */
export const CHANGES_HEADER = 'thads-changes';

/** This process's prefix of notice names: with its counter, no other writer's for a long while. */
const NAME_PREFIX = randomBytes(5).toString('hex');
let nameSequence = 0;

/** The notices one request's writes cause, by name (a request's scope holds one). */
export class ChangeNames {
  readonly names: string[] = [];

  /** A new name, noted: the notice that carries it is sent at the write's commit. */
  next(): string {
    const name = `${NAME_PREFIX}.${(nameSequence++).toString(36)}`;
    this.names.push(name);
    return name;
  }
}

/** What a notice needs of its writer: where to note its name (a request), or nothing (an operator's tool). */
export interface NamesChanges {
  readonly changes?: ChangeNames;
}

export interface ChangeEvent {
  /** The units whose own facts changed; subscribers map them to their ancestors. */
  unitIds: number[];
  kind: string;
  /** Earliest date the change touches: rollups of periods ending before it are unchanged. */
  from: string;
  payload?: Record<string, unknown>;
}

/** Longest list of unit ids a notification carries (PostgreSQL's payload limit is 8,000 bytes). */
const NOTIFIED_UNITS_MAX_CHARS = 6000;

/**
 * What a notification on CHANGES_CHANNEL says: `<schema>:<outbox id>`, then `:<unit ids>`
 * (comma-separated; empty when they do not fit: an import touching thousands of units, read
 * them from the outbox row), `:<from>`, the earliest date the change touches (figures of
 * periods that end before it are unchanged), and `:<name>`, the name the writing request
 * gave it (empty for an operator's tool).
 */
export interface ChangeNotice {
  schema: string;
  outboxId: number;
  unitIds?: number[];
  from?: string;
  name?: string;
}

export function parseChangeNotice(payload: string): ChangeNotice | null {
  const [schema, id, units, from, name] = payload.split(':');
  if (!schema || !id || !/^\d+$/.test(id)) return null;
  const unitIds = units && /^\d+(,\d+)*$/.test(units) ? units.split(',').map(Number) : undefined;
  return { schema, outboxId: Number(id), unitIds, from: from && /^\d{4}-\d{2}-\d{2}$/.test(from) ? from : undefined, name: name || undefined };
}

/**
 * Records a change event in the service's outbox within the write's transaction and
 * announces it: PostgreSQL delivers the NOTIFY only when the transaction commits, so a
 * listener never hears of a change that was rolled back. The notice is named in the writing
 * request's scope.
 */
export async function appendOutbox(tx: EntityManager, schema: string, event: ChangeEvent, scope?: NamesChanges): Promise<void> {
  const units = event.unitIds.join(',');
  // One statement: the row, and its notification (delivered by PostgreSQL at commit); in a
  // writeTransaction it goes with the COMMIT.
  await deferred(
    tx,
    `WITH o AS (INSERT INTO ${schema}.outbox (unit_ids, kind, from_date, payload) VALUES ($1::int[], $2, $3::date, $4::jsonb) RETURNING id)
     SELECT id, pg_notify($5, $6 || id || $7) FROM o`,
    [
      event.unitIds,
      event.kind,
      event.from,
      JSON.stringify(event.payload ?? {}),
      CHANGES_CHANNEL,
      `${schema}:`,
      `:${units.length <= NOTIFIED_UNITS_MAX_CHARS ? units : ''}:${event.from}:${scope?.changes?.next() ?? ''}`,
    ],
  );
}

/** The schema name of a notice that says "everything may have changed" (a rebuild, a reseed). */
export const EVERYTHING = 'all';

/**
 * Announces that stored figures were rewritten wholesale (a rebuild from the facts, a new
 * hierarchy, a target): listeners refresh or drop everything they hold. Delivered at commit;
 * named in the writing request's scope, if any.
 */
export async function announceRewrite(db: { query(sql: string, params?: unknown[]): Promise<unknown> }, scope?: NamesChanges): Promise<void> {
  await db.query(`SELECT pg_notify($1, $2)`, [CHANGES_CHANNEL, `${EVERYTHING}:0:::${scope?.changes?.next() ?? ''}`]);
}

export function outboxTableSql(schema: string): string {
  return `CREATE TABLE ${schema}.outbox (
    id bigserial PRIMARY KEY,
    unit_ids int[] NOT NULL,
    kind text NOT NULL,
    from_date date NOT NULL,
    payload jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now()
  )`;
}
