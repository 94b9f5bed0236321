import type { DataSource } from 'typeorm';
import { announceRewrite, copyRows, maintainedTables, rebuildFromFacts, type DemoCase } from '@thads/kit';
import { CASE_COLUMNS, EVENT_COLUMNS } from '../cases/case-columns';
import { applyCaseEvent, type CaseEventKind, type CaseState } from '../cases/case-lifecycle';
import { CASE_ROLLUPS } from '../stats/case-report';

/** The events of a demo case in date order (ties keep the lifecycle's order). */
export function demoCaseEvents(c: DemoCase): { kind: CaseEventKind; on: string }[] {
  const events: { kind: CaseEventKind; on: string; order: number }[] = [{ kind: 'RECEIVED', on: c.receivedOn, order: 0 }];
  for (const cl of c.classifications) events.push({ kind: cl.enforceable ? 'CLASSIFIED_ENFORCEABLE' : 'CLASSIFIED_NOT_ENFORCEABLE', on: cl.on, order: 1 });
  for (const p of c.pauses) events.push({ kind: p.kind, on: p.on, order: 2 });
  if (c.outcome) events.push({ kind: c.outcome.kind, on: c.outcome.on, order: 3 });
  return events.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : a.order - b.order));
}

/** Writes one chunk of demo cases and their events, deltas computed by the same lifecycle as live writes. */
export async function insertDemoCases(db: DataSource, chunk: DemoCase[]): Promise<number> {
  const caseRows: unknown[][] = [];
  const eventRows: unknown[][] = [];
  for (const c of chunk) {
    let state: CaseState | null = null;
    let statusOn = c.receivedOn;
    for (const e of demoCaseEvents(c)) {
      const applied = applyCaseEvent(state, e.kind);
      state = applied.state;
      statusOn = e.on;
      eventRows.push([c.id, c.unitId, e.kind, e.on, applied.deltas.open, applied.deltas.openEnforceable]);
    }
    caseRows.push([c.id, c.unitId, c.judgmentRef, c.receivedOn, c.categories, state!.status, state!.enforceable, statusOn]);
  }
  await copyRows(db, 'cases.enforcement_case', CASE_COLUMNS, caseRows);
  await copyRows(db, 'cases.case_event', EVENT_COLUMNS, eventRows);
  return eventRows.length;
}

/** Rebuilds the monthly aggregates and the rollups above them from the recorded facts. */
export async function rebuildCaseAggregates(db: DataSource): Promise<void> {
  for (const spec of CASE_ROLLUPS) await rebuildFromFacts(db, spec);
  await db.query(`SELECT setval('cases.case_id_seq', greatest((SELECT max(id) FROM cases.enforcement_case), 999999999))`);
}

export async function clearCases(db: DataSource): Promise<void> {
  await db.query(
    `TRUNCATE ${CASE_ROLLUPS.flatMap(maintainedTables).join(', ')}, cases.case_event, cases.enforcement_case, cases.admin_judgment, cases.outbox, cases.idempotency`,
  );
  await announceRewrite(db);
}
