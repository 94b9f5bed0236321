import type { DataSource, EntityManager } from 'typeorm';
import {
  ErrorCode,
  addMonthDeltas,
  appendOutbox,
  bucketsOf,
  checkMoneyAmount,
  checkWrites,
  copyRows,
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
import type { MoneyCommand } from './money-commands';
import { MONEY_COLUMNS, MONEY_EVENT_COLUMNS } from './money-columns';
import { MONEY_MONTH_COLUMNS, moneyMonthValues } from './money-flows';
import { applyMoneyEvent, type MoneyEventKind, type MoneyState } from './money-lifecycle';
import { MONEY_ROLLUP } from '../stats/money-report';

interface MoneyRow {
  caseId: string;
  unitId: number;
  categories: number;
  amount: bigint;
  state: MoneyState;
  receivedOn: string;
  lastOn: string;
  isNew: boolean;
}

const at = (line?: number) => (line === undefined ? '' : `Line ${line}: `);

/** Ids the database can hold (bigint): anything else names no case. */
const CASE_ID_RE = /^\d{1,18}$/;

/** No money recorded for a case, or money of a unit the caller may not write: one answer for both. */
const moneyNotFound = (caseId: string, line?: number) =>
  userError(ErrorCode.CASE_NOT_FOUND, `${at(line)}no money is recorded for case "${caseId}"; record its amount first (MONEY_RECEIVED / receiveCaseMoney).`, {
    caseId,
    line,
  });

/**
 * The one write path of the finances service (single mutations and imports). First what the
 * request alone decides (amounts: whole dong, within the ceiling per event), then the caller's
 * rights: a receive at a unit it does not report for is FORBIDDEN, and an event on money of
 * such a unit answers CASE_NOT_FOUND as for a case with no money, so that no amount or date of
 * another unit reaches a message. Then every command is checked and the money facts, their
 * deltas and one change event are written in the caller's transaction; any error throws before
 * anything is written. Without a scope (operator tools) every unit may be written.
 */
export async function applyMoneyCommands(tx: EntityManager, commands: readonly MoneyCommand[], scope?: WriteScope): Promise<string[]> {
  if (commands.length === 0) return [];
  scope?.assertWriter();
  for (const c of commands) {
    if (c.type === 'RECEIVE') checkMoneyAmount(c.amount, { line: c.line });
    else if (c.kind === 'COLLECTED') checkMoneyAmount(c.amount, { line: c.line, positive: true });
  }
  const ids = [...new Set(commands.map((c) => c.caseId))].filter((id) => CASE_ID_RE.test(id));
  const rows = new Map<string, MoneyRow>();
  const found = (await tx.query(
    `SELECT m.case_id::text, m.unit_id, m.categories, m.amount::text, m.remaining::text, m.open, m.enforceable, m.received_on::text,
            (SELECT max(occurred_on)::text FROM finances.money_event e WHERE e.case_id = m.case_id) AS last_on
     FROM finances.case_money m WHERE m.case_id = ANY($1::bigint[]) ORDER BY m.case_id FOR UPDATE`,
    [ids],
  )) as {
    case_id: string;
    unit_id: number;
    categories: number;
    amount: string;
    remaining: string;
    open: boolean;
    enforceable: boolean;
    received_on: string;
    last_on: string | null;
  }[];
  // The caller's rights and the unit and date checks are read together (one round trip in a
  // writeTransaction); the rights are judged first, the units and dates after the commands.
  const unitOf = new Map(found.map((r) => [r.case_id, r.unit_id]));
  for (const c of commands) if (c.type === 'RECEIVE' && !unitOf.has(c.caseId)) unitOf.set(c.caseId, c.unitId);
  const checks: DatedWrite[] = commands.flatMap((c) => {
    const unitId = c.type === 'RECEIVE' ? c.unitId : unitOf.get(c.caseId);
    return unitId === undefined ? [] : [{ unitId, date: c.date, line: c.line, opens: c.type === 'RECEIVE' }];
  });
  const mayWrite = writableUnits(tx, [...found.map((r) => r.unit_id), ...checks.map((d) => d.unitId)], scope);
  const checked = checkWrites(tx, checks); // awaited after the commands' own checks
  const writable = await mayWrite;
  /** Cases whose money exists but lies outside the caller's scope: taken for a receive, missing for an event. */
  const foreign = new Set<string>();
  for (const r of found) {
    if (!writable(r.unit_id)) {
      foreign.add(r.case_id);
      continue;
    }
    rows.set(r.case_id, {
      caseId: r.case_id,
      unitId: r.unit_id,
      categories: r.categories,
      amount: BigInt(r.amount),
      state: { open: r.open, remaining: BigInt(r.remaining), enforceable: r.enforceable },
      receivedOn: r.received_on,
      lastOn: r.last_on ?? r.received_on,
      isNew: false,
    });
  }
  const known = new Set(rows.keys());
  for (const c of commands) {
    if (c.type === 'RECEIVE') {
      if (!CASE_ID_RE.test(c.caseId))
        throw userError(ErrorCode.BAD_USER_INPUT, `${at(c.line)}caseId must be a positive whole number.`, { field: 'caseId', line: c.line });
      if (!writable(c.unitId)) throw notYourUnit(c.unitId, c.line);
      known.add(c.caseId);
    } else if (!known.has(c.caseId)) throw moneyNotFound(c.caseId, c.line);
  }
  const events: unknown[][] = [];
  const deltas: MonthDelta[] = [];
  const touched = new Set<string>();
  for (const c of commands) {
    let row = rows.get(c.caseId);
    let kind: MoneyEventKind;
    if (c.type === 'RECEIVE') {
      if (row || foreign.has(c.caseId))
        throw userError(ErrorCode.BAD_USER_INPUT, `${at(c.line)}the money of case ${c.caseId} was recorded already.`, {
          reason: 'DUPLICATE_CASE',
          caseId: c.caseId,
          line: c.line,
        });
      kind = 'RECEIVED';
    } else {
      if (!row) throw moneyNotFound(c.caseId, c.line);
      if (c.date < row.lastOn)
        throw userError(
          ErrorCode.BAD_USER_INPUT,
          `${at(c.line)}case ${c.caseId} last changed on ${row.lastOn}; an event cannot be dated earlier (${c.date}).`,
          { reason: 'OUT_OF_ORDER', line: c.line },
        );
      kind = c.kind;
    }
    let applied;
    try {
      applied = applyMoneyEvent(row ? row.state : null, kind, c.amount);
    } catch (err) {
      if (c.line !== undefined && err instanceof Error) err.message = `${at(c.line)}${err.message}`;
      throw err;
    }
    row =
      c.type === 'RECEIVE'
        ? {
            caseId: c.caseId,
            unitId: c.unitId,
            categories: c.categories,
            amount: c.amount,
            state: applied.state,
            receivedOn: c.date,
            lastOn: c.date,
            isNew: true,
          }
        : { ...row!, state: applied.state, lastOn: c.date };
    rows.set(c.caseId, row);
    touched.add(c.caseId);
    const d = applied.deltas;
    events.push([row.caseId, row.unitId, kind, c.date, d.flow, d.open, d.openEnforceable]);
    const values = moneyMonthValues(kind, d.flow, d.open, d.openEnforceable);
    for (const bucket of bucketsOf(row.categories)) deltas.push({ unitId: row.unitId, month: monthOf(c.date), bucket, values });
  }
  await checked;
  const all = [...touched].map((id) => rows.get(id)!);
  const created = all.filter((r) => r.isNew);
  const changed = all.filter((r) => !r.isNew);
  await copyRows(
    tx,
    'finances.case_money',
    MONEY_COLUMNS,
    created.map((r) => [r.caseId, r.unitId, r.categories, r.amount, r.state.remaining, r.state.open, r.state.enforceable, r.receivedOn]),
  );
  if (changed.length) {
    await deferred(
      tx,
      `UPDATE finances.case_money m SET remaining = u.remaining, open = u.open, enforceable = u.enforceable
       FROM unnest($1::bigint[], $2::bigint[], $3::boolean[], $4::boolean[]) AS u(case_id, remaining, open, enforceable) WHERE m.case_id = u.case_id`,
      [
        changed.map((r) => r.caseId),
        changed.map((r) => r.state.remaining.toString()),
        changed.map((r) => r.state.open),
        changed.map((r) => r.state.enforceable),
      ],
    );
  }
  await copyRows(tx, 'finances.money_event', MONEY_EVENT_COLUMNS, events);
  await addMonthDeltas(tx, MONEY_ROLLUP, MONEY_MONTH_COLUMNS, deltas);
  await appendOutbox(
    tx,
    'finances',
    {
      unitIds: [...new Set(all.map((r) => r.unitId))],
      kind: commands.length === 1 ? 'money.changed' : 'money.imported',
      from: checks.map((c) => c.date).sort()[0]!,
      payload: { events: events.length },
    },
    scope,
  );
  return all.map((r) => r.caseId);
}

/** A single command in its own transaction, applied once per idempotency key of its caller. */
export function applyMoneyOnce(db: DataSource, caller: Identity, key: string, command: MoneyCommand, scope?: WriteScope): Promise<string[]> {
  return writeTransaction(db, (tx) => once(tx, 'finances', caller, key, `money.${command.type}`, command, () => applyMoneyCommands(tx, [command], scope)));
}
