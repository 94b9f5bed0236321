import { CATEGORY_BUCKETS } from '../graphql/org-unit-stub';
import type { DemoCase, DemoPetition, DemoReception } from './demo-case';

export type EventLine = Record<string, string | number | string[]>;

function categoryNames(mask: number): string[] {
  return CATEGORY_BUCKETS.filter((_c, i) => mask & (1 << i)).map(([name]) => name);
}

/**
 * The demo facts as import lines (the vocabulary of `hub import`), in date order; the
 * events of one case on one day keep their lifecycle order.
 */
export function demoEventLines(cases: DemoCase[], petitions: DemoPetition[] = [], receptions: DemoReception[] = []): EventLine[] {
  const lines: { date: string; order: number; line: EventLine }[] = [];
  const push = (date: string, order: number, line: EventLine) => lines.push({ date, order, line: { ...line, date } });
  for (const c of cases) {
    const categories = categoryNames(c.categories);
    push(c.receivedOn, 0, { event: 'CASE_RECEIVED', caseId: String(c.id), unitId: String(c.unitId), judgmentRef: c.judgmentRef, categories });
    push(c.receivedOn, 0, { event: 'MONEY_RECEIVED', caseId: String(c.id), unitId: String(c.unitId), amount: c.amount.toString(), categories });
    for (const cl of c.classifications) {
      const kind = cl.enforceable ? 'CLASSIFIED_ENFORCEABLE' : 'CLASSIFIED_NOT_ENFORCEABLE';
      push(cl.on, 1, { event: `CASE_${kind}`, caseId: String(c.id) });
      push(cl.on, 1, { event: `MONEY_${kind}`, caseId: String(c.id) });
    }
    for (const p of c.pauses) push(p.on, 2, { event: `CASE_${p.kind}`, caseId: String(c.id) });
    for (const col of c.collections) push(col.on, 2, { event: 'MONEY_COLLECTED', caseId: String(c.id), amount: col.amount.toString() });
    if (c.outcome) {
      push(c.outcome.on, 3, { event: `CASE_${c.outcome.kind}`, caseId: String(c.id) });
      push(c.outcome.on, 3, { event: `MONEY_${c.outcome.kind}`, caseId: String(c.id) });
    }
  }
  for (const p of petitions) {
    push(p.receivedOn, 0, { event: 'PETITION_RECEIVED', petitionId: String(p.id), unitId: String(p.unitId), kind: p.kind });
    if (p.resolvedOn) push(p.resolvedOn, 3, { event: 'PETITION_RESOLVED', petitionId: String(p.id) });
  }
  for (const r of receptions) push(r.receivedOn, 0, { event: 'CITIZENS_RECEIVED', unitId: String(r.unitId), citizens: r.citizens });
  lines.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.order - b.order));
  return lines.map((l) => l.line);
}

export function toNdjson(lines: EventLine[]): string {
  return `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`;
}
