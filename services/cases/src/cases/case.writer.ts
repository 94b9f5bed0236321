import type { DataSource, EntityManager } from 'typeorm';
import {
  ErrorCode,
  addMonthDeltas,
  deferred,
  prepared,
  appendOutbox,
  writeTransaction,
  bucketsOf,
  checkWrites,
  copyRows,
  monthOf,
  notYourUnit,
  once,
  userError,
  writableUnits,
  type DatedWrite,
  type Identity,
  type MonthDelta,
  type WriteScope,
} from '@thads/kit';
import type { CaseCommand } from './case-commands';
import { CASE_COLUMNS, EVENT_COLUMNS } from './case-columns';
import { CASE_MONTH_COLUMNS, caseMonthValues } from './case-flows';
import { applyCaseEvent, type CaseEventKind, type CaseState, type CaseStatus } from './case-lifecycle';
import { CASE_ROLLUP } from '../stats/case-report';

interface CaseRow {
  id: string;
  unitId: number;
  judgmentRef: string;
  receivedOn: string;
  categories: number;
  status: CaseStatus;
  enforceable: boolean | null;
  statusOn: string;
  isNew: boolean;
}

export interface ApplyResult {
  caseIds: string[];
  events: number;
  cases: number;
}

/** A case as the write left it: what the mutation answers, without reading it back. */
export type WrittenCase = Omit<CaseRow, 'isNew'>;

const at = (line?: number) => (line === undefined ? '' : `Line ${line}: `);
/** Ids the database can hold (bigint): anything else names no case. */
const CASE_ID_RE = /^\d{1,18}$/;

/** A case that does not exist, or that the caller may not write: one answer for both. */
const caseNotFound = (caseId: string, line?: number) =>
  userError(ErrorCode.CASE_NOT_FOUND, `${at(line)}no enforcement case has id "${caseId}".`, { caseId, line });

/**
 * The one write path of the cases service, for a single mutation and a whole import
 * alike. The caller's rights come first: a receive at a unit it does not report for is
 * FORBIDDEN, and an event on a case of a unit it does not report for is CASE_NOT_FOUND,
 * worded as for an id that does not exist, so that nothing of another unit's case (status,
 * dates) reaches a message. Then every command is checked (unit valid on the date, date open
 * and not in the future, transition possible, events in date order), and the facts, their
 * deltas on the monthly aggregates and one change event are written in the caller's
 * transaction. Any error throws before anything is written, so the transaction holds all or
 * nothing. Without a scope (operator tools) every unit may be written.
 */
export async function applyCaseCommands(
  tx: EntityManager,
  commands: readonly CaseCommand[],
  scope?: WriteScope,
  written?: (cases: WrittenCase[]) => void,
): Promise<ApplyResult> {
  if (commands.length === 0) return { caseIds: [], events: 0, cases: 0 };
  scope?.assertWriter();
  const referenced = [...new Set(commands.filter((c) => c.type === 'EVENT').map((c) => c.caseId))].filter((id) => CASE_ID_RE.test(id));
  const existing = new Map<string, CaseRow>();
  if (referenced.length) {
    const rows = (await prepared(
      tx,
      `SELECT id::text, unit_id, judgment_ref, received_on::text, categories, status, enforceable, status_on::text
       FROM cases.enforcement_case WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE`,
      [referenced],
    )) as {
      id: string;
      unit_id: number;
      judgment_ref: string;
      received_on: string;
      categories: number;
      status: CaseStatus;
      enforceable: boolean | null;
      status_on: string;
    }[];
    for (const r of rows) {
      existing.set(r.id, {
        id: r.id,
        unitId: r.unit_id,
        judgmentRef: r.judgment_ref,
        receivedOn: r.received_on,
        categories: r.categories,
        status: r.status,
        enforceable: r.enforceable,
        statusOn: r.status_on,
        isNew: false,
      });
    }
  }
  // The caller's rights, the unit and date checks and the new ids are read together (one round
  // trip in a writeTransaction); the rights are judged first, the units and dates after the
  // commands' own checks.
  const unitOfCase = new Map<string, number>([...existing.values()].map((r) => [r.id, r.unitId]));
  for (const c of commands) if (c.type === 'RECEIVE' && c.caseId) unitOfCase.set(c.caseId, c.unitId);
  const datesToCheck: DatedWrite[] = commands.flatMap((c) => {
    const unitId = c.type === 'RECEIVE' ? c.unitId : unitOfCase.get(c.caseId);
    return unitId === undefined ? [] : [{ unitId, date: c.date, line: c.line, opens: c.type === 'RECEIVE' }];
  });
  const mayWrite = writableUnits(
    tx,
    datesToCheck.map((d) => d.unitId),
    scope,
  );
  const checked = checkWrites(tx, datesToCheck); // awaited after the commands' own checks
  const missingIds = commands.filter((c) => c.type === 'RECEIVE' && !c.caseId).length;
  const assigning = missingIds
    ? (prepared(tx, `SELECT nextval('cases.case_id_seq')::text AS id FROM generate_series(1, $1)`, [missingIds]) as Promise<{ id: string }[]>)
    : Promise.resolve([]);
  assigning.catch(() => {}); // awaited below, after the rights
  const writable = await mayWrite;
  for (const [id, row] of existing) if (!writable(row.unitId)) existing.delete(id);
  const known = new Set(existing.keys());
  for (const c of commands) {
    if (c.type === 'RECEIVE') {
      if (!writable(c.unitId)) throw notYourUnit(c.unitId, c.line);
      if (c.caseId) known.add(c.caseId);
    } else if (!known.has(c.caseId)) throw caseNotFound(c.caseId, c.line);
  }
  const newIds = commands.flatMap((c) => (c.type === 'RECEIVE' && c.caseId ? [c.caseId] : []));
  if (newIds.length) {
    const taken = (await prepared(tx, `SELECT id::text FROM cases.enforcement_case WHERE id = ANY($1::bigint[])`, [newIds])) as { id: string }[];
    if (taken.length) {
      const line = commands.find((c) => c.type === 'RECEIVE' && c.caseId === taken[0]!.id)?.line;
      throw userError(ErrorCode.BAD_USER_INPUT, `${at(line)}case ${taken[0]!.id} was received already; give a new case id, or record an event on it instead.`, {
        caseId: taken[0]!.id,
        reason: 'DUPLICATE_CASE',
        line,
      });
    }
  }
  const assigned = (await assigning).map((r) => r.id);

  const cases = new Map(existing);
  const events: unknown[][] = [];
  const deltas: MonthDelta[] = [];
  const touched: string[] = [];
  let earliest = '9999-12-31';

  for (const c of commands) {
    let row: CaseRow;
    let kind: CaseEventKind;
    if (c.type === 'RECEIVE') {
      const id = c.caseId ?? assigned.shift()!;
      if (cases.has(id))
        throw userError(ErrorCode.BAD_USER_INPUT, `${at(c.line)}case ${id} is received twice.`, { caseId: id, reason: 'DUPLICATE_CASE', line: c.line });
      if (!c.judgmentRef.trim())
        throw userError(ErrorCode.BAD_USER_INPUT, `${at(c.line)}a case needs the reference of the judgment it enforces (judgmentRef).`, {
          field: 'judgmentRef',
          line: c.line,
        });
      row = {
        id,
        unitId: c.unitId,
        judgmentRef: c.judgmentRef.trim(),
        receivedOn: c.date,
        categories: c.categories,
        status: 'OPEN',
        enforceable: null,
        statusOn: c.date,
        isNew: true,
      };
      kind = 'RECEIVED';
    } else {
      const found = cases.get(c.caseId);
      if (!found) throw caseNotFound(c.caseId, c.line);
      if (c.date < found.statusOn) {
        throw userError(
          ErrorCode.BAD_USER_INPUT,
          `${at(c.line)}case ${c.caseId} last changed on ${found.statusOn}; an event cannot be dated earlier (${c.date}).`,
          { reason: 'OUT_OF_ORDER', caseId: c.caseId, line: c.line },
        );
      }
      row = found;
      kind = c.kind;
    }
    const before: CaseState | null = c.type === 'RECEIVE' ? null : { status: row.status, enforceable: row.enforceable };
    let applied;
    try {
      applied = applyCaseEvent(before, kind);
    } catch (err) {
      if (c.line !== undefined && err instanceof Error) err.message = `${at(c.line)}${err.message}`;
      throw err;
    }
    row = { ...row, status: applied.state.status, enforceable: applied.state.enforceable, statusOn: c.date };
    cases.set(row.id, row);
    touched.push(row.id);
    events.push([row.id, row.unitId, kind, c.date, applied.deltas.open, applied.deltas.openEnforceable]);
    const values = caseMonthValues(kind, applied.deltas.open, applied.deltas.openEnforceable);
    for (const bucket of bucketsOf(row.categories)) deltas.push({ unitId: row.unitId, month: monthOf(c.date), bucket, values });
    if (c.date < earliest) earliest = c.date;
  }

  await checked;

  const rows = [...new Set(touched)].map((id) => cases.get(id)!);
  const created = rows.filter((r) => r.isNew);
  const changed = rows.filter((r) => !r.isNew);
  await copyRows(
    tx,
    'cases.enforcement_case',
    CASE_COLUMNS,
    created.map((r) => [r.id, r.unitId, r.judgmentRef, r.receivedOn, r.categories, r.status, r.enforceable, r.statusOn]),
  );
  if (changed.length) {
    await deferred(
      tx,
      `UPDATE cases.enforcement_case c SET status = u.status, enforceable = u.enforceable, status_on = u.status_on
       FROM unnest($1::bigint[], $2::text[], $3::boolean[], $4::date[]) AS u(id, status, enforceable, status_on) WHERE c.id = u.id`,
      [changed.map((r) => r.id), changed.map((r) => r.status), changed.map((r) => r.enforceable), changed.map((r) => r.statusOn)],
    );
  }
  await copyRows(tx, 'cases.case_event', EVENT_COLUMNS, events);
  await addMonthDeltas(tx, CASE_ROLLUP, CASE_MONTH_COLUMNS, deltas);
  await appendOutbox(
    tx,
    'cases',
    {
      unitIds: [...new Set(rows.map((r) => r.unitId))],
      kind: commands.length === 1 ? 'case.changed' : 'case.imported',
      from: earliest,
      payload: { events: events.length },
    },
    scope,
  );
  written?.(rows.map(({ isNew: _isNew, ...row }) => row));
  return { caseIds: rows.map((r) => r.id), events: events.length, cases: created.length };
}

/**
 * A single command in its own transaction, applied once per idempotency key of its caller.
 * The case comes back as the write left it; a retry of a key already applied gets `case`
 * undefined (read it).
 */
export async function applyOnce(
  db: DataSource,
  caller: Identity,
  key: string,
  command: CaseCommand,
  scope?: WriteScope,
): Promise<ApplyResult & { case?: WrittenCase }> {
  let written: WrittenCase | undefined;
  const result = await writeTransaction(db, (tx) =>
    once(tx, 'cases', caller, key, `case.${command.type}`, command, () => applyCaseCommands(tx, [command], scope, (cases) => (written = cases[0]))),
  );
  return { ...result, case: written };
}
