import type { DataSource } from 'typeorm';
import { announceRewrite, bulkInsert, maintainedTables, rebuildFromFacts, type DemoPetition, type DemoReception } from '@thads/kit';
import { COMPLAINT_ROLLUP } from '../stats/complaint-report';

export async function insertDemoComplaints(db: DataSource, petitions: DemoPetition[], receptions: DemoReception[]): Promise<void> {
  await bulkInsert(
    db,
    'complaints.petition',
    [
      { name: 'id', type: 'bigint' },
      { name: 'unit_id', type: 'int' },
      { name: 'kind', type: 'text' },
      { name: 'received_on', type: 'date' },
      { name: 'resolved_on', type: 'date' },
    ],
    petitions.map((p) => [p.id, p.unitId, p.kind, p.receivedOn, p.resolvedOn]),
  );
  await bulkInsert(
    db,
    'complaints.citizen_reception',
    [
      { name: 'id', type: 'bigint' },
      { name: 'unit_id', type: 'int' },
      { name: 'received_on', type: 'date' },
      { name: 'citizens', type: 'int' },
    ],
    receptions.map((r) => [r.id, r.unitId, r.receivedOn, r.citizens]),
  );
}

/** Rebuilds the monthly aggregates and the rollup above them from the recorded petitions and receptions. */
export async function rebuildComplaintAggregates(db: DataSource): Promise<void> {
  await rebuildFromFacts(db, COMPLAINT_ROLLUP);
}

export async function clearComplaints(db: DataSource): Promise<void> {
  await db.query(
    `TRUNCATE ${maintainedTables(COMPLAINT_ROLLUP).join(', ')}, complaints.citizen_reception, complaints.petition, complaints.outbox, complaints.idempotency`,
  );
  await announceRewrite(db);
}
