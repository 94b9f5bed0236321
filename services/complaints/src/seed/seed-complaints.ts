import type { DataSource } from 'typeorm';
import { bulkInsert, type DemoPetition, type DemoReception, rebuildOpenings } from '@thads/kit';
import { PETITION_BUCKETS } from '../petitions/petition.entity';
import { COMPLAINT_ROLLUP } from '../stats/complaint-rollup';

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

const KIND_BUCKET_SQL = `CASE p.kind ${PETITION_BUCKETS.map(([k, b]) => `WHEN '${k}' THEN ${b}`).join(' ')} END`;

/** Rebuilds the monthly aggregates: a petition adds +1 pending when received and −1 when resolved. */
export async function rebuildComplaintAggregates(db: DataSource): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('DELETE FROM complaints.complaint_month');
    await tx.query(`INSERT INTO complaints.complaint_month (unit_id, month, bucket, received, resolved, pending_delta, receptions, citizens)
      SELECT unit_id, month, bucket, sum(received), sum(resolved), sum(received) - sum(resolved), sum(receptions), sum(citizens)
      FROM (
        SELECT p.unit_id, date_trunc('month', p.received_on)::date AS month, b.bucket, 1 AS received, 0 AS resolved, 0 AS receptions, 0 AS citizens
          FROM complaints.petition p CROSS JOIN LATERAL unnest(ARRAY[0, ${KIND_BUCKET_SQL}]) AS b(bucket)
        UNION ALL
        SELECT p.unit_id, date_trunc('month', p.resolved_on)::date, b.bucket, 0, 1, 0, 0
          FROM complaints.petition p CROSS JOIN LATERAL unnest(ARRAY[0, ${KIND_BUCKET_SQL}]) AS b(bucket)
          WHERE p.resolved_on IS NOT NULL
        UNION ALL
        SELECT r.unit_id, date_trunc('month', r.received_on)::date, 0, 0, 0, 1, r.citizens
          FROM complaints.citizen_reception r
      ) f
      GROUP BY unit_id, month, bucket`);
    // The month rows were replaced wholesale: their stock openings are summed again.
    await rebuildOpenings(tx, COMPLAINT_ROLLUP);
  });
  await db.query('ANALYZE complaints.complaint_month');
}

export async function clearComplaints(db: DataSource): Promise<void> {
  await db.query('TRUNCATE complaints.complaint_month, complaints.complaint_month_opening, complaints.complaint_month_opening_built, complaints.citizen_reception, complaints.petition, complaints.outbox, complaints.idempotency');
}
