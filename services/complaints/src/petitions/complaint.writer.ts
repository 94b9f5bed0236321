import type { DataSource, EntityManager } from 'typeorm';
import {
  ErrorCode,
  addMonthDeltas,
  appendOutbox,
  checkWrites,
  deferred,
  monthOf,
  notYourUnit,
  once,
  userError,
  writableUnits,
  writeTransaction,
  type DatedWrite,
  type Identity,
  type MonthDelta,
  type WriteScope,
} from '@thads/kit';
import { PETITION_BUCKETS, type PetitionKind } from './petition.entity';
import { COMPLAINT_ROLLUP } from '../stats/complaint-report';

export type ComplaintCommand =
  | { type: 'RECEIVE'; petitionId?: string; unitId: number; kind: PetitionKind; date: string; line?: number }
  | { type: 'RESOLVE'; petitionId: string; date: string; line?: number }
  | { type: 'RECEPTION'; unitId: number; date: string; citizens: number; line?: number };

const at = (line?: number) => (line === undefined ? '' : `Line ${line}: `);
const bucketOf = (kind: PetitionKind) => PETITION_BUCKETS.find(([k]) => k === kind)![1];
const COLUMNS = ['received', 'resolved', 'pending_delta', 'receptions', 'citizens'];

interface PetitionRow {
  id: string;
  unitId: number;
  kind: PetitionKind;
  receivedOn: string;
  resolvedOn: string | null;
  isNew: boolean;
}

/** Ids the database can hold (bigint): anything else names no petition. */
const PETITION_ID_RE = /^\d{1,18}$/;

/** A petition that does not exist, or that the caller may not write: one answer for both. */
const petitionNotFound = (petitionId: string, line?: number) =>
  userError(ErrorCode.PETITION_NOT_FOUND, `${at(line)}no petition has id "${petitionId}"; a petition must be received before it is resolved.`, {
    petitionId,
    line,
  });

/**
 * The one write path of the complaints service: petitions received and resolved, citizen
 * receptions. The caller's rights come first: a receipt or reception at a unit it does not
 * report for is FORBIDDEN, and a petition of such a unit answers PETITION_NOT_FOUND as one that
 * does not exist, so that its dates never reach a message. Then checked, then written with
 * their deltas and a change event, all or nothing. Without a scope (operator tools) every
 * unit may be written.
 */
export async function applyComplaintCommands(tx: EntityManager, commands: readonly ComplaintCommand[], scope?: WriteScope): Promise<string[]> {
  if (commands.length === 0) return [];
  scope?.assertWriter();
  const referenced = [
    ...new Set(commands.flatMap((c) => (c.type === 'RESOLVE' ? [c.petitionId] : c.type === 'RECEIVE' && c.petitionId ? [c.petitionId] : []))),
  ];
  const petitions = new Map<string, PetitionRow>();
  const found = referenced.length
    ? ((await tx.query(
        `SELECT id::text, unit_id, kind, received_on::text, resolved_on::text FROM complaints.petition WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE`,
        [referenced.filter((id) => PETITION_ID_RE.test(id))],
      )) as { id: string; unit_id: number; kind: PetitionKind; received_on: string; resolved_on: string | null }[])
    : [];
  const writable = await writableUnits(tx, [...found.map((r) => r.unit_id), ...commands.flatMap((c) => (c.type === 'RESOLVE' ? [] : [c.unitId]))], scope);
  /** Petitions that exist outside the caller's scope: taken for a receipt, missing for a resolution. */
  const foreign = new Set<string>();
  for (const r of found) {
    if (writable(r.unit_id))
      petitions.set(r.id, { id: r.id, unitId: r.unit_id, kind: r.kind, receivedOn: r.received_on, resolvedOn: r.resolved_on, isNew: false });
    else foreign.add(r.id);
  }
  const known = new Set(petitions.keys());
  for (const c of commands) {
    if (c.type === 'RESOLVE') {
      if (!known.has(c.petitionId)) throw petitionNotFound(c.petitionId, c.line);
    } else {
      if (!writable(c.unitId)) throw notYourUnit(c.unitId, c.line);
      if (c.type === 'RECEIVE' && c.petitionId) known.add(c.petitionId);
    }
  }
  const needIds = commands.filter((c) => c.type === 'RECEIVE' && !c.petitionId).length;
  const ids = needIds
    ? ((await tx.query(`SELECT nextval('complaints.petition_id_seq')::text AS id FROM generate_series(1, $1)`, [needIds])) as { id: string }[]).map((r) => r.id)
    : [];
  const deltas: MonthDelta[] = [];
  const checks: DatedWrite[] = [];
  const receptions: unknown[][] = [];
  const touched = new Set<string>();
  for (const c of commands) {
    if (c.type === 'RECEPTION') {
      if (!Number.isInteger(c.citizens) || c.citizens < 1 || c.citizens > 10000)
        throw userError(ErrorCode.BAD_USER_INPUT, `${at(c.line)}citizens must be a whole number from 1 to 10000.`, { field: 'citizens' });
      receptions.push([c.unitId, c.date, c.citizens]);
      checks.push({ unitId: c.unitId, date: c.date, line: c.line, opens: true });
      deltas.push({ unitId: c.unitId, month: monthOf(c.date), bucket: 0, values: { receptions: 1, citizens: c.citizens } });
      continue;
    }
    if (c.type === 'RECEIVE') {
      const id = c.petitionId ?? ids.shift()!;
      if (petitions.has(id) || foreign.has(id))
        throw userError(ErrorCode.BAD_USER_INPUT, `${at(c.line)}petition ${id} was received already.`, { reason: 'DUPLICATE_PETITION', line: c.line });
      petitions.set(id, { id, unitId: c.unitId, kind: c.kind, receivedOn: c.date, resolvedOn: null, isNew: true });
      touched.add(id);
      checks.push({ unitId: c.unitId, date: c.date, line: c.line, opens: true });
      for (const bucket of [0, bucketOf(c.kind)]) deltas.push({ unitId: c.unitId, month: monthOf(c.date), bucket, values: { received: 1, pending_delta: 1 } });
      continue;
    }
    const p = petitions.get(c.petitionId);
    if (!p) throw petitionNotFound(c.petitionId, c.line);
    if (p.resolvedOn)
      throw userError(ErrorCode.BAD_USER_INPUT, `${at(c.line)}petition ${p.id} was resolved on ${p.resolvedOn} already.`, {
        reason: 'IMPOSSIBLE_TRANSITION',
        line: c.line,
      });
    if (c.date < p.receivedOn)
      throw userError(ErrorCode.BAD_USER_INPUT, `${at(c.line)}petition ${p.id} was received on ${p.receivedOn}; it cannot be resolved earlier (${c.date}).`, {
        reason: 'OUT_OF_ORDER',
        line: c.line,
      });
    p.resolvedOn = c.date;
    touched.add(p.id);
    checks.push({ unitId: p.unitId, date: c.date, line: c.line, opens: false });
    for (const bucket of [0, bucketOf(p.kind)]) deltas.push({ unitId: p.unitId, month: monthOf(c.date), bucket, values: { resolved: 1, pending_delta: -1 } });
  }
  await checkWrites(tx, checks);
  const rows = [...touched].map((id) => petitions.get(id)!);
  const created = rows.filter((r) => r.isNew);
  const changed = rows.filter((r) => !r.isNew);
  if (created.length) {
    await deferred(
      tx,
      `INSERT INTO complaints.petition (id, unit_id, kind, received_on, resolved_on) SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::date[], $5::date[])`,
      [created.map((r) => r.id), created.map((r) => r.unitId), created.map((r) => r.kind), created.map((r) => r.receivedOn), created.map((r) => r.resolvedOn)],
    );
  }
  if (changed.length) {
    await deferred(tx, `UPDATE complaints.petition p SET resolved_on = u.d FROM unnest($1::bigint[], $2::date[]) AS u(id, d) WHERE p.id = u.id`, [
      changed.map((r) => r.id),
      changed.map((r) => r.resolvedOn),
    ]);
  }
  if (receptions.length) {
    await deferred(
      tx,
      `INSERT INTO complaints.citizen_reception (id, unit_id, received_on, citizens)
       SELECT nextval('complaints.reception_id_seq'), * FROM unnest($1::int[], $2::date[], $3::int[])`,
      [receptions.map((r) => r[0]), receptions.map((r) => r[1]), receptions.map((r) => r[2])],
    );
  }
  await addMonthDeltas(tx, COMPLAINT_ROLLUP, COLUMNS, deltas);
  await appendOutbox(
    tx,
    'complaints',
    {
      unitIds: [...new Set(checks.map((c) => c.unitId))],
      kind: 'complaints.changed',
      from: checks.map((c) => c.date).sort()[0]!,
      payload: {},
    },
    scope,
  );
  return rows.map((r) => r.id);
}

/** A single command in its own transaction, applied once per idempotency key of its caller. */
export function applyComplaintOnce(db: DataSource, caller: Identity, key: string, command: ComplaintCommand, scope?: WriteScope): Promise<string[]> {
  return writeTransaction(db, (tx) =>
    once(tx, 'complaints', caller, key, `complaints.${command.type}`, command, () => applyComplaintCommands(tx, [command], scope)),
  );
}
