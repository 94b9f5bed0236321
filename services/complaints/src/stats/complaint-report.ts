import { Int, registerEnumType } from 'type-graphql';
import { defineReport, percent, type RollupRow, type RollupSpec, type Rows } from '@thads/kit';
import { PETITION_BUCKETS, PetitionKind } from '../petitions/petition.entity';
import { PetitionFigures } from './complaint-figures.type';

/** The bucket of a petition's kind. */
const KIND_BUCKET_SQL = `CASE p.kind ${PETITION_BUCKETS.map(([k, b]) => `WHEN '${k}' THEN ${b}`).join(' ')} END`;

export const COMPLAINT_ROLLUP: RollupSpec = {
  table: 'complaints.complaint_month',
  flows: ['received', 'resolved', 'receptions', 'citizens'],
  stocks: ['pending_delta'],
  // A petition adds +1 pending when received and −1 when resolved, in bucket 0 and its
  // kind's; citizen receptions count in bucket 0 only.
  facts: `SELECT unit_id, month, bucket, sum(received) AS received, sum(resolved) AS resolved, sum(received) - sum(resolved) AS pending_delta,
        sum(receptions) AS receptions, sum(citizens) AS citizens
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
      GROUP BY unit_id, month, bucket`,
};

/** How form 8 heads each kind of petition, in Vietnamese and English. */
const PETITION_KIND_LABELS: Record<PetitionKind, readonly [string, string]> = {
  [PetitionKind.COMPLAINT]: ['Khiếu nại', 'Complaints'],
  [PetitionKind.DENUNCIATION]: ['Tố cáo', 'Denunciations'],
  [PetitionKind.REQUEST]: ['Yêu cầu', 'Requests'],
  [PetitionKind.RECOMMENDATION]: ['Kiến nghị, phản ánh', 'Recommendations'],
};

/** Petition indicators of the circular's report on complaints and denunciations, from one rollup row. */
export function petitionFigures(row: RollupRow): PetitionFigures {
  const carriedOver = Number(row.pending_deltaAtStart);
  const newlyReceived = Number(row.received);
  const resolved = Number(row.resolved);
  const toResolve = carriedOver + newlyReceived;
  return { carriedOver, newlyReceived, toResolve, resolved, pending: toResolve - resolved, resolutionRate: percent(resolved, toResolve) };
}

export enum ComplaintRankingMetric {
  RESOLUTION_RATE = 'RESOLUTION_RATE',
  RESOLVED = 'RESOLVED',
}

registerEnumType(ComplaintRankingMetric, {
  name: 'ComplaintRankingMetric',
  description: 'What units are ranked by, higher first.',
  valuesConfig: {
    RESOLUTION_RATE: { description: 'Petitions resolved ÷ petitions to resolve.' },
    RESOLVED: { description: 'Petitions resolved.' },
  },
});

/** Complaints, denunciations and citizen reception: complaintStats, complaintRanking and complaintRank. */
export const COMPLAINT_REPORT = defineReport<PetitionFigures, ComplaintRankingMetric>({
  name: 'complaint',
  family: 'complaints',
  rollup: COMPLAINT_ROLLUP,
  Figures: PetitionFigures,
  figuresType: 'PetitionFigures',
  figures: petitionFigures,
  stats: {
    type: 'ComplaintStats',
    description: 'Citizen reception and petition indicators of a unit for a period.',
    field:
      'Citizen reception and petition indicators of this unit and everything under it for a period, on the hierarchy valid at `asOf`; old units count through their lineage.',
    previousYear: 'The same period of the previous year, on the same hierarchy (`asOf`).',
    change: 'This period minus the same period of the previous year; the rate in percentage points.',
  },
  extras: [
    {
      name: 'receptions',
      type: () => Int,
      description: 'Citizen reception sessions (tiếp công dân) in the period.',
      value: (rows) => Number(rows.get(0)!.receptions),
    },
    { name: 'citizensReceived', type: () => Int, description: 'Citizens received in the period.', value: (rows) => Number(rows.get(0)!.citizens) },
  ],
  breakdown: {
    field: 'byKind',
    description: 'The same indicators for each kind of petition.',
    type: 'KindPetitionFigures',
    typeDescription: 'Petition indicators of one kind.',
    key: 'kind',
    keyType: PetitionKind,
    keyDescription: 'The kind.',
    buckets: PETITION_BUCKETS,
  },
  form: {
    number: 8,
    field: 'complaintReportForm',
    description:
      'Form 8 of the statistics circular, citizen reception and the handling of complaints and denunciations, for a unit and a period: the total row, the unit’s own row and one row a unit directly under it. Downloadable as CSV or XLSX from the gateway’s /export/form.',
    title: 'Kết quả tiếp công dân, giải quyết khiếu nại, tố cáo',
    titleEn: 'Citizen reception and the handling of complaints and denunciations',
    readsBuckets: true,
    columns: [
      { key: 'receptions', label: 'Số lượt tiếp công dân', labelEn: 'Reception sessions', kind: 'COUNT', value: (_f, rows) => rows.get(0)!.receptions ?? 0n },
      { key: 'citizensReceived', label: 'Số người được tiếp', labelEn: 'Citizens received', kind: 'COUNT', value: (_f, rows) => rows.get(0)!.citizens ?? 0n },
      { key: 'carriedOver', label: 'Kỳ trước chuyển sang', labelEn: 'Carried over', kind: 'COUNT', value: (f) => f.carriedOver },
      { key: 'newlyReceived', label: 'Tiếp nhận mới', labelEn: 'Newly received', kind: 'COUNT', value: (f) => f.newlyReceived },
      { key: 'toResolve', label: 'Tổng số phải giải quyết', labelEn: 'To resolve', kind: 'COUNT', value: (f) => f.toResolve },
      ...PETITION_BUCKETS.flatMap(([kind, bucket]) => {
        const [label, labelEn] = PETITION_KIND_LABELS[kind];
        const of = (rows: Rows) => (rows.has(bucket) ? petitionFigures(rows.get(bucket)!) : undefined);
        return [
          {
            key: `${kind.toLowerCase()}ToResolve`,
            label: `${label}: phải giải quyết`,
            labelEn: `${labelEn}: to resolve`,
            kind: 'COUNT' as const,
            value: (_f: PetitionFigures, rows: Rows) => of(rows)?.toResolve ?? 0,
          },
          {
            key: `${kind.toLowerCase()}Resolved`,
            label: `${label}: đã giải quyết`,
            labelEn: `${labelEn}: resolved`,
            kind: 'COUNT' as const,
            value: (_f: PetitionFigures, rows: Rows) => of(rows)?.resolved ?? 0,
          },
        ];
      }),
      { key: 'resolved', label: 'Đã giải quyết', labelEn: 'Resolved', kind: 'COUNT', value: (f) => f.resolved },
      { key: 'pending', label: 'Chưa giải quyết, chuyển kỳ sau', labelEn: 'Pending, carried to the next period', kind: 'COUNT', value: (f) => f.pending },
      { key: 'resolutionRate', label: 'Tỷ lệ giải quyết (%)', labelEn: 'Resolution rate (%)', kind: 'RATE', value: (f) => f.resolutionRate },
    ],
  },
  ranking: {
    metric: {
      enum: ComplaintRankingMetric,
      default: ComplaintRankingMetric.RESOLUTION_RATE,
      value: (metric, f) => (metric === ComplaintRankingMetric.RESOLUTION_RATE ? f.resolutionRate : f.resolved),
    },
    query: 'The units of a level (provinces by default) ranked by complaint resolution for a period.',
    rank: 'This unit’s position among the units of its level by complaint resolution; null for the ministry or a unit not valid at `asOf`.',
    row: {
      type: 'ComplaintRankingRow',
      description: 'One unit’s row in a complaint ranking.',
      rank: 'Position, 1 for the best; equal values share a rank. Units with nothing to resolve come last.',
      value: 'The metric’s value; null when undefined.',
      figures: 'The unit’s petition indicators for the period.',
    },
  },
});
