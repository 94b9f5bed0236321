import { field, type EventRecord } from '@thads/kit';
import type { ComplaintCommand } from './complaint.writer';
import { PetitionKind } from './petition.entity';

const EVENTS = ['PETITION_RECEIVED', 'PETITION_RESOLVED', 'CITIZENS_RECEIVED'];

/** The complaints lines of an import file: PETITION_RECEIVED, PETITION_RESOLVED, CITIZENS_RECEIVED. */
export function complaintCommandsOf(records: EventRecord[]): { commands: ComplaintCommand[]; skipped: number } {
  const commands: ComplaintCommand[] = [];
  let skipped = 0;
  for (const r of records) {
    const event = r.fields.event;
    if (typeof event !== 'string' || !EVENTS.includes(event)) {
      skipped++;
      continue;
    }
    if (event === 'PETITION_RECEIVED') {
      commands.push({
        type: 'RECEIVE',
        petitionId: field.id(r, 'petitionId'),
        unitId: Number(field.id(r, 'unitId')),
        kind: field.oneOf(r, 'kind', Object.values(PetitionKind)),
        date: field.date(r),
        line: r.line,
      });
    } else if (event === 'PETITION_RESOLVED') {
      commands.push({ type: 'RESOLVE', petitionId: field.id(r, 'petitionId'), date: field.date(r), line: r.line });
    } else {
      commands.push({
        type: 'RECEPTION',
        unitId: Number(field.id(r, 'unitId')),
        date: field.date(r),
        citizens: field.int(r, 'citizens', 1, 10000),
        line: r.line,
      });
    }
  }
  return { commands, skipped };
}
