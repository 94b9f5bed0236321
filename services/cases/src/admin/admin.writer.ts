import type { EntityManager } from 'typeorm';
import {
  ErrorCode,
  addMonthDeltas,
  appendOutbox,
  checkWrites,
  monthOf,
  notYourUnit,
  userError,
  writableUnits,
  type DatedWrite,
  type WriteScope,
} from '@thads/kit';
import { ADMIN_ROLLUP } from './admin-rollup';

export type AdminCommand =
  | { type: 'RECEIVE'; unitId: number; date: string; judgmentRef: string; withDecision: boolean; judgmentId?: string; line?: number }
  | { type: 'DECISION' | 'COMPLETE'; judgmentId: string; date: string; line?: number };

const at = (line?: number) => (line === undefined ? '' : `Line ${line}: `);

/**
 * Writes administrative-judgment monitoring facts with their deltas and a change event. The
 * caller's rights come first: a judgment of a unit it does not report for answers as one that
 * does not exist, before any check that would describe it.
 */
export async function applyAdminCommands(tx: EntityManager, commands: readonly AdminCommand[], scope?: WriteScope): Promise<string[]> {
  scope?.assertWriter();
  const ids: string[] = [];
  const checks: DatedWrite[] = [];
  const deltas = [];
  for (const c of commands) {
    if (c.type === 'RECEIVE') {
      if (!(await writableUnits(tx, [c.unitId], scope))(c.unitId)) throw notYourUnit(c.unitId, c.line);
      const [{ id }] = (await tx.query(
        `INSERT INTO cases.admin_judgment (id, unit_id, judgment_ref, received_on, decision_on)
         VALUES (coalesce($1::bigint, nextval('cases.admin_judgment_id_seq')), $2, $3, $4, CASE WHEN $5 THEN $4::date END) RETURNING id::text`,
        [c.judgmentId ?? null, c.unitId, c.judgmentRef, c.date, c.withDecision],
      )) as { id: string }[];
      ids.push(id);
      checks.push({ unitId: c.unitId, date: c.date, line: c.line, opens: true });
      deltas.push({
        unitId: c.unitId,
        month: monthOf(c.date),
        bucket: 0,
        values: { received: 1, open_delta: 1, open_with_decision_delta: c.withDecision ? 1 : 0 },
      });
      continue;
    }
    const [j] = (await tx.query(
      `SELECT id::text, unit_id, received_on::text, decision_on::text, completed_on::text FROM cases.admin_judgment WHERE id = $1::bigint FOR UPDATE`,
      [/^\d{1,18}$/.test(c.judgmentId) ? c.judgmentId : '0'],
    )) as { id: string; unit_id: number; received_on: string; decision_on: string | null; completed_on: string | null }[];
    if (!j || !(await writableUnits(tx, [j.unit_id], scope))(j.unit_id))
      throw userError(ErrorCode.CASE_NOT_FOUND, `${at(c.line)}no administrative judgment under monitoring has id "${c.judgmentId}".`, {
        judgmentId: c.judgmentId,
      });
    if (j.completed_on)
      throw userError(ErrorCode.BAD_USER_INPUT, `${at(c.line)}judgment ${j.id} was completed on ${j.completed_on}; nothing can happen to it any more.`, {
        reason: 'IMPOSSIBLE_TRANSITION',
      });
    if (c.date < j.received_on || (j.decision_on && c.date < j.decision_on))
      throw userError(ErrorCode.BAD_USER_INPUT, `${at(c.line)}${c.date} is before the judgment's last change.`, { reason: 'OUT_OF_ORDER' });
    checks.push({ unitId: j.unit_id, date: c.date, line: c.line, opens: false });
    ids.push(j.id);
    if (c.type === 'DECISION') {
      if (j.decision_on)
        throw userError(ErrorCode.BAD_USER_INPUT, `${at(c.line)}judgment ${j.id} has a monitoring decision already (${j.decision_on}).`, {
          reason: 'IMPOSSIBLE_TRANSITION',
        });
      await tx.query(`UPDATE cases.admin_judgment SET decision_on = $2 WHERE id = $1::bigint`, [j.id, c.date]);
      deltas.push({ unitId: j.unit_id, month: monthOf(c.date), bucket: 0, values: { open_with_decision_delta: 1 } });
    } else {
      await tx.query(`UPDATE cases.admin_judgment SET completed_on = $2 WHERE id = $1::bigint`, [j.id, c.date]);
      deltas.push({
        unitId: j.unit_id,
        month: monthOf(c.date),
        bucket: 0,
        values: { completed: 1, open_delta: -1, open_with_decision_delta: j.decision_on ? -1 : 0 },
      });
    }
  }
  await checkWrites(tx, checks);
  await addMonthDeltas(tx, ADMIN_ROLLUP, ['received', 'completed', 'open_delta', 'open_with_decision_delta'], deltas);
  await appendOutbox(
    tx,
    'cases',
    {
      unitIds: [...new Set(checks.map((c) => c.unitId))],
      kind: 'admin.changed',
      from: checks.map((c) => c.date).sort()[0]!,
      payload: {},
    },
    scope,
  );
  return ids;
}
