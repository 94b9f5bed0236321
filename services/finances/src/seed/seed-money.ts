import type { DataSource } from 'typeorm';
import { announceRewrite, copyRows, maintainedTables, rebuildFromFacts, type DemoCase } from '@thads/kit';
import { MONEY_COLUMNS, MONEY_EVENT_COLUMNS } from '../money/money-columns';
import { applyMoneyEvent, type MoneyEventKind, type MoneyState } from '../money/money-lifecycle';
import { MONEY_ROLLUP } from '../stats/money-report';

/** The money events of a demo case in date order. */
export function demoMoneyEvents(c: DemoCase): { kind: MoneyEventKind; on: string; amount: bigint }[] {
  const events: { kind: MoneyEventKind; on: string; amount: bigint; order: number }[] = [{ kind: 'RECEIVED', on: c.receivedOn, amount: c.amount, order: 0 }];
  for (const cl of c.classifications)
    events.push({ kind: cl.enforceable ? 'CLASSIFIED_ENFORCEABLE' : 'CLASSIFIED_NOT_ENFORCEABLE', on: cl.on, amount: 0n, order: 1 });
  for (const col of c.collections) events.push({ kind: 'COLLECTED', on: col.on, amount: col.amount, order: 2 });
  if (c.outcome) events.push({ kind: c.outcome.kind, on: c.outcome.on, amount: 0n, order: 3 });
  return events.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : a.order - b.order));
}

/** Writes the money of one chunk of demo cases, deltas computed by the live lifecycle. */
export async function insertDemoMoney(db: DataSource, chunk: DemoCase[]): Promise<number> {
  const rows: unknown[][] = [];
  const events: unknown[][] = [];
  for (const c of chunk) {
    let state: MoneyState | null = null;
    for (const e of demoMoneyEvents(c)) {
      const applied = applyMoneyEvent(state, e.kind, e.amount);
      state = applied.state;
      events.push([c.id, c.unitId, e.kind, e.on, applied.deltas.flow, applied.deltas.open, applied.deltas.openEnforceable]);
    }
    rows.push([c.id, c.unitId, c.categories, c.amount, state!.remaining, state!.open, state!.enforceable, c.receivedOn]);
  }
  await copyRows(db, 'finances.case_money', MONEY_COLUMNS, rows);
  await copyRows(db, 'finances.money_event', MONEY_EVENT_COLUMNS, events);
  return events.length;
}

/** Rebuilds the monthly money aggregates and the rollup above them from the recorded events. */
export async function rebuildMoneyAggregates(db: DataSource): Promise<void> {
  await rebuildFromFacts(db, MONEY_ROLLUP);
}

export async function clearMoney(db: DataSource): Promise<void> {
  await db.query(`TRUNCATE ${maintainedTables(MONEY_ROLLUP).join(', ')}, finances.money_event, finances.case_money, finances.outbox, finances.idempotency`);
  await announceRewrite(db);
}
