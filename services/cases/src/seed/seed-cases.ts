import type { DataSource } from 'typeorm';
import { categoryBucketsSql, copyRows, type DemoCase, rebuildOpenings } from '@thads/kit';
import { CASE_COLUMNS, EVENT_COLUMNS } from '../cases/case-columns';
import { caseFlowCountsSql } from '../cases/case-flows';
import { applyCaseEvent, type CaseEventKind, type CaseState } from '../cases/case-lifecycle';
import { CASE_ROLLUP } from '../stats/case-rollup';



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

/** Rebuilds the monthly aggregates from the events, in one statement. */
export async function rebuildCaseAggregates(db: DataSource): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('DELETE FROM cases.case_month');
    await tx.query(`INSERT INTO cases.case_month
        (unit_id, month, bucket, received, entrusted_out, withdrawn, done, separate_book, open_delta, open_enforceable_delta)
      SELECT e.unit_id, date_trunc('month', e.occurred_on)::date, b.bucket,
        ${caseFlowCountsSql('e')},
        sum(e.d_open), sum(e.d_open_enforceable)
      FROM cases.case_event e
      JOIN cases.enforcement_case c ON c.id = e.case_id
      CROSS JOIN LATERAL unnest(${categoryBucketsSql('c.categories')}) AS b(bucket)
      GROUP BY 1, 2, 3`);
    // The month rows were replaced wholesale: their stock openings are summed again.
    await rebuildOpenings(tx, CASE_ROLLUP);
  });
  await db.query('ANALYZE cases.case_month');
  await db.query(`SELECT setval('cases.case_id_seq', greatest((SELECT max(id) FROM cases.enforcement_case), 999999999))`);
}

export async function clearCases(db: DataSource): Promise<void> {
  await db.query('TRUNCATE cases.case_month, cases.case_month_opening, cases.case_month_opening_built, cases.case_event, cases.enforcement_case, cases.admin_month, cases.admin_month_opening, cases.admin_month_opening_built, cases.admin_judgment, cases.outbox, cases.idempotency');
}
