import type { DemoPetition, DemoReception, RunningSubgraph } from '@thads/kit';
import { coveredUnits, petitionFiguresBF } from '../../../test/support/brute-force';
import { gql, gqlData } from '../../../test/support/graphql-client';
import { leavesOf, seedTestComplaints, seedTestUnits, TEST_CONFIG } from '../../../test/support/seeded-db';
import { createTestDatabase, dropTestDatabase } from '../../../test/support/test-db';
import { start } from './server';

const ENTITY_QUERY = `query($reps: [_Any!]!, $period: PeriodInput!) {
  _entities(representations: $reps) { ... on OrgUnit { id complaintStats(period: $period) { carriedOver newlyReceived toResolve resolved pending resolutionRate citizensReceived receptions periodStart periodEnd asOf byKind { kind newlyReceived } } } }
}`;

describe('complaints subgraph on a real PostgreSQL', () => {
  let url: string;
  let service: RunningSubgraph;
  let seeded: Awaited<ReturnType<typeof seedTestUnits>>;
  let petitions: DemoPetition[];
  let receptions: DemoReception[];

  beforeAll(async () => {
    url = await createTestDatabase('complaints');
    seeded = await seedTestUnits(url);
    ({ petitions, receptions } = await seedTestComplaints(url, leavesOf(seeded.units), 20000, 'complaints-test'));
    service = await start(TEST_CONFIG(url));
  }, 120000);

  afterAll(async () => {
    await service?.stop();
    if (url) await dropTestDatabase(url);
  });

  it('equals a brute-force recomputation for every province and the nation', async () => {
    const ids = [1, ...seeded.units.filter((u) => u.type === 'PROVINCE').map((u) => u.id)];
    for (const period of [{ year: 2024 }, { year: 2025, months: 6 }, { fromMonth: '2025-07', toMonth: '2025-09' }]) {
      const data = await gqlData(service.url, ENTITY_QUERY, { reps: ids.map((id) => ({ __typename: 'OrgUnit', id: String(id) })), period });
      for (const e of data._entities) {
        const s = e.complaintStats;
        const bf = petitionFiguresBF(petitions, receptions, coveredUnits(seeded.units, seeded.lineage, Number(e.id), s.asOf), s.periodStart, s.periodEnd);
        expect(s).toMatchObject(bf);
        expect(s.byKind.reduce((n: number, k: { newlyReceived: number }) => n + k.newlyReceived, 0)).toBe(s.newlyReceived);
      }
    }
  });

  it('says PETITION_NOT_FOUND for an unknown petition', async () => {
    const res = await gql(service.url, `{ petition(id: "0") { id } }`);
    expect(res.errors?.[0]?.extensions?.code).toBe('PETITION_NOT_FOUND');
  });
});
