import { CaseCategoryName, categoryMask, field, rejectLine, type EventRecord } from '@thads/kit';
import type { MoneyCommand } from './money-commands';
import type { MoneyEventKind } from './money-lifecycle';

export const MONEY_EVENT_PREFIX = 'MONEY_';
const KINDS: Exclude<MoneyEventKind, 'RECEIVED'>[] = [
  'CLASSIFIED_ENFORCEABLE',
  'CLASSIFIED_NOT_ENFORCEABLE',
  'COLLECTED',
  'COMPLETED',
  'TERMINATED',
  'ENTRUSTED_OUT',
  'WITHDRAWN',
  'SEPARATE_BOOK',
];

/**
 * The finances lines of an import file: `MONEY_RECEIVED` (caseId, unitId, date, amount,
 * categories), `MONEY_COLLECTED` (caseId, date, amount) and `MONEY_<KIND>` (caseId, date).
 */
export function moneyCommandsOf(records: EventRecord[]): { commands: MoneyCommand[]; skipped: number } {
  const commands: MoneyCommand[] = [];
  let skipped = 0;
  for (const r of records) {
    const event = r.fields.event;
    if (typeof event !== 'string' || !event.startsWith(MONEY_EVENT_PREFIX)) {
      skipped++;
      continue;
    }
    const kind = event.slice(MONEY_EVENT_PREFIX.length);
    if (kind === 'RECEIVED') {
      commands.push({
        type: 'RECEIVE',
        caseId: field.id(r, 'caseId'),
        unitId: Number(field.id(r, 'unitId')),
        date: field.date(r),
        amount: field.vnd(r),
        categories: categoryMask(field.list(r, 'categories'), (name) =>
          rejectLine(r.line, `unknown category "${name}"; use ${Object.values(CaseCategoryName).join(', ')}.`),
        ),
        line: r.line,
      });
    } else if ((KINDS as string[]).includes(kind)) {
      commands.push({
        type: 'EVENT',
        caseId: field.id(r, 'caseId'),
        kind: kind as Exclude<MoneyEventKind, 'RECEIVED'>,
        date: field.date(r),
        amount: kind === 'COLLECTED' ? field.vnd(r) : 0n,
        line: r.line,
      });
    } else {
      rejectLine(r.line, `unknown money event "${event}"; use MONEY_RECEIVED or MONEY_ followed by ${KINDS.join(', ')}.`, { field: 'event' });
    }
  }
  return { commands, skipped };
}
