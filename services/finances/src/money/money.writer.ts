import type { DataSource, EntityManager } from 'typeorm';
import {
  ErrorCode,
  addMonthDeltas,
  appendOutbox,
  bucketsOf,
  checkWrites,
  copyRows,
  deferred,
  monthOf,
  once,
  userError,
  writeTransaction,
  type AuthorizeWrite,
  type DatedWrite,
  type MonthDelta,
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

/**
 * The one write path of the finances service (single mutations and imports): checks every
 * command, then writes the money facts, their deltas and one change event in the caller's
 * transaction; any error throws before anything is written.
 */
export async function applyMoneyCommands(tx: EntityManager, commands: readonly MoneyCommand[], authorize?: AuthorizeWrite): Promise<string[]> {
  if (commands.length === 0) return [];
  const ids = [...new Set(commands.map((c) => c.caseId))];
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
  for (const r of found) {
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
  const events: unknown[][] = [];
  const deltas: MonthDelta[] = [];
  const checks: DatedWrite[] = [];
  const touched = new Set<string>();
  for (const c of commands) {
    let row = rows.get(c.caseId);
    let kind: MoneyEventKind;
    if (c.type === 'RECEIVE') {
      if (row)
        throw userError(ErrorCode.BAD_USER_INPUT, `${at(c.line)}the money of case ${c.caseId} was recorded already.`, {
          reason: 'DUPLICATE_CASE',
          caseId: c.caseId,
          line: c.line,
        });
      kind = 'RECEIVED';
    } else {
      if (!row)
        throw userError(
          ErrorCode.CASE_NOT_FOUND,
          `${at(c.line)}no money is recorded for case "${c.caseId}"; record its amount first (MONEY_RECEIVED / receiveCaseMoney).`,
          { caseId: c.caseId, line: c.line },
        );
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
    checks.push({ unitId: row.unitId, date: c.date, line: c.line, opens: c.type === 'RECEIVE' });
    const d = applied.deltas;
    events.push([row.caseId, row.unitId, kind, c.date, d.flow, d.open, d.openEnforceable]);
    const values = moneyMonthValues(kind, d.flow, d.open, d.openEnforceable);
    for (const bucket of bucketsOf(row.categories)) deltas.push({ unitId: row.unitId, month: monthOf(c.date), bucket, values });
  }
  await checkWrites(tx, checks, authorize);
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
  await appendOutbox(tx, 'finances', {
    unitIds: [...new Set(all.map((r) => r.unitId))],
    kind: commands.length === 1 ? 'money.changed' : 'money.imported',
    from: checks.map((c) => c.date).sort()[0]!,
    payload: { events: events.length },
  });
  return all.map((r) => r.caseId);
}

export function applyMoneyOnce(db: DataSource, key: string, command: MoneyCommand, authorize?: AuthorizeWrite): Promise<string[]> {
  return writeTransaction(db, (tx) => once(tx, 'finances', key, `money.${command.type}`, command, () => applyMoneyCommands(tx, [command], authorize)));
}
