import { CaseCategoryName, categoryMask, field, rejectLine, type EventRecord } from '@thads/kit';
import type { CaseCommand } from './case-commands';
import { CaseEventKindInput } from './case.inputs';

export const CASE_EVENT_PREFIX = 'CASE_';
const KINDS = Object.values(CaseEventKindInput);

/**
 * The lines of an import file that are the cases service's: `CASE_RECEIVED` (caseId,
 * unitId, date, judgmentRef, categories) and `CASE_<KIND>` (caseId, date), kinds as in
 * CaseEventKind. Other lines belong to other services and are skipped.
 */
export function caseCommandsOf(records: EventRecord[]): { commands: CaseCommand[]; skipped: number } {
  const commands: CaseCommand[] = [];
  let skipped = 0;
  for (const r of records) {
    const event = r.fields.event;
    if (typeof event !== 'string') rejectLine(r.line, '"event" names what happened, e.g. CASE_RECEIVED; it is missing.', { field: 'event' });
    if (!event.startsWith(CASE_EVENT_PREFIX)) {
      skipped++;
      continue;
    }
    const kind = event.slice(CASE_EVENT_PREFIX.length);
    if (kind === 'RECEIVED') {
      commands.push({
        type: 'RECEIVE',
        caseId: field.id(r, 'caseId'),
        unitId: Number(field.id(r, 'unitId')),
        date: field.date(r),
        judgmentRef: field.string(r, 'judgmentRef'),
        categories: categoryMask(field.list(r, 'categories'), (name) =>
          rejectLine(r.line, `unknown category "${name}"; use ${Object.values(CaseCategoryName).join(', ')}.`, { field: 'categories' }),
        ),
        line: r.line,
      });
    } else if ((KINDS as string[]).includes(kind)) {
      commands.push({ type: 'EVENT', caseId: field.id(r, 'caseId'), kind: kind as CaseEventKindInput, date: field.date(r), line: r.line });
    } else {
      rejectLine(r.line, `unknown case event "${event}"; use CASE_RECEIVED or CASE_ followed by ${KINDS.join(', ')}.`, { field: 'event' });
    }
  }
  return { commands, skipped };
}
