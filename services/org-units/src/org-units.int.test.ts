import { Client } from 'pg';
import type { RunningSubgraph } from '@thads/kit';
import { gql, gqlData } from '../../../test/support/graphql-client';
import { seedTestUnits, TEST_CONFIG } from '../../../test/support/seeded-db';
import { createTestDatabase, dropTestDatabase } from '../../../test/support/test-db';
import { start } from './server';

describe('org-units subgraph on a real PostgreSQL', () => {
  let url: string;
  let service: RunningSubgraph;

  beforeAll(async () => {
    url = await createTestDatabase('org_units');
    await seedTestUnits(url);
    service = await start(TEST_CONFIG(url));
  }, 120000);

  afterAll(async () => {
    await service?.stop();
    if (url) await dropTestDatabase(url);
  });

  const q = (query: string, variables?: Record<string, unknown>) => gqlData(service.url, query, variables);

  it('lists the units of a level as of a date: 63 provinces before the merger, 34 after', async () => {
    const data = await q(
      `{ before: units(type: PROVINCE, asOf: "2025-06-30") { id } after: units(type: PROVINCE, asOf: "2025-07-01") { id } wards: units(type: WARD, asOf: "2025-07-01") { id } districts: units(type: DISTRICT, asOf: "2025-07-01") { id } }`,
    );
    expect(data.before).toHaveLength(63);
    expect(data.after).toHaveLength(34);
    expect(data.wards).toHaveLength(3321);
    expect(data.districts).toHaveLength(0);
  });

  it('picks the old or the new unit of a shared code by date, with lineage both ways', async () => {
    const data = await q(`{
      old: unitByCode(code: "ha-giang", asOf: "2024-01-01") { name validFrom validUntil lineage { kind to { code name } } }
      now: unitByCode(code: "tuyen-quang", asOf: "2025-08-01") { name validFrom validUntil lineage { kind from { code } } }
    }`);
    expect(data.old).toEqual({
      name: 'Hà Giang',
      validFrom: '1900-01-01',
      validUntil: '2025-06-30',
      lineage: [{ kind: 'MERGED_INTO', to: { code: 'tuyen-quang', name: 'Tuyên Quang' } }],
    });
    expect(data.now.validFrom).toBe('2025-07-01');
    expect(data.now.lineage.map((l: { from: { code: string } }) => l.from.code).sort()).toEqual(['ha-giang', 'tuyen-quang']);
  });

  it('walks children, ancestors and descendants on the hierarchy of a date', async () => {
    const data = await q(`{ ministry {
      type
      old: children(asOf: "2024-01-01") { id }
      now: children(asOf: "2025-09-30") { id code children(asOf: "2025-09-30") { id type ancestors { type } } }
      wards: descendants(asOf: "2025-09-30", type: WARD) { id }
    } }`);
    expect(data.ministry.type).toBe('MINISTRY');
    expect(data.ministry.old).toHaveLength(63);
    expect(data.ministry.now).toHaveLength(34);
    expect(data.ministry.wards).toHaveLength(3321);
    const total = data.ministry.now.reduce((n: number, p: { children: unknown[] }) => n + p.children.length, 0);
    expect(total).toBe(3321);
    expect(data.ministry.now[0].children[0].ancestors.map((a: { type: string }) => a.type)).toEqual(['PROVINCE', 'MINISTRY']);
  });

  it("pages each unit's children and descendants of a list in one batch, equal to asking them one by one", async () => {
    const statements: string[] = [];
    const query = Client.prototype.query;
    const spy = jest.spyOn(Client.prototype, 'query').mockImplementation(function (this: Client, ...args: unknown[]) {
      const config = args[0] as string | { text?: string };
      statements.push(typeof config === 'string' ? config : (config?.text ?? ''));
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as never);
    let batched;
    try {
      batched = await q(`{ units(type: PROVINCE) { id
        childrenConnection(first: 3, orderBy: { field: CODE }) { totalCount nodes { id } pageInfo { endCursor } }
        descendantsConnection(first: 2, filter: { type: WARD }) { totalCount nodes { id } } } }`);
    } finally {
      spy.mockRestore();
    }
    // The provinces, then their children in one statement and their descendants in two (the tree with its roots, then the units): not two a province.
    expect(statements).toHaveLength(4);
    expect(statements.filter((s) => /parent_id" = ANY|parent_id = ANY/.test(s))).toHaveLength(2);

    const provinces = batched.units as { id: string; childrenConnection: unknown; descendantsConnection: unknown }[];
    expect(provinces).toHaveLength(34);
    for (const p of provinces.slice(0, 5)) {
      const alone = await q(
        `query($id: ID!) { unit(id: $id) { childrenConnection(first: 3, orderBy: { field: CODE }) { totalCount nodes { id } pageInfo { endCursor } }
          descendantsConnection(first: 2, filter: { type: WARD }) { totalCount nodes { id } } } }`,
        { id: p.id },
      );
      expect(p.childrenConnection).toEqual(alone.unit.childrenConnection);
      expect(p.descendantsConnection).toEqual(alone.unit.descendantsConnection);
    }
    const wards = provinces.reduce((n, p) => n + (p.descendantsConnection as { totalCount: number }).totalCount, 0);
    expect(wards).toBe(3321);
  });

  it('finds names with or without diacritics', async () => {
    const withMarks = await q(`{ searchUnits(text: "Hồ Chí Minh", type: PROVINCE) { name validUntil } }`);
    const without = await q(`{ searchUnits(text: "ho chi minh", type: PROVINCE) { name validUntil } }`);
    expect(without).toEqual(withMarks);
    expect(withMarks.searchUnits.map((u: { name: string }) => u.name)).toEqual(['Hồ Chí Minh City', 'Hồ Chí Minh City']);
    const dak = await q(`{ searchUnits(text: "dak lak", asOf: "2025-09-30") { name } }`);
    expect(dak.searchUnits).toEqual([{ name: 'Đắk Lắk' }]);
  });

  it('answers bad input with stable codes and keeps serving', async () => {
    const cases: [string, string][] = [
      [`{ unit(id: "424242") { id } }`, 'UNIT_NOT_FOUND'],
      [`{ unit(id: "abc") { id } }`, 'UNIT_NOT_FOUND'],
      [`{ unitByCode(code: "ha-giang", asOf: "2025-08-01") { id } }`, 'UNIT_NOT_FOUND'],
      [`{ units(type: PROVINCE, asOf: "2025-02-30") { id } }`, 'INVALID_DATE'],
      [`{ units(type: PROVINCE, asOf: "yesterday") { id } }`, 'INVALID_DATE'],
      [`{ searchUnits(text: "a") { id } }`, 'BAD_USER_INPUT'],
      [`{ searchUnits(text: "ha", limit: 1000) { id } }`, 'BAD_USER_INPUT'],
      [`{ units(type: CITY) { id } }`, 'GRAPHQL_VALIDATION_FAILED'],
    ];
    for (const [query, code] of cases) {
      const res = await gql(service.url, query);
      expect({ query, code: res.errors?.[0]?.extensions?.code }).toEqual({ query, code });
      expect(res.errors?.[0]?.message.length).toBeGreaterThan(10);
    }
    const ok = await q(`{ unit(id: "1") { name } }`);
    expect(ok.unit.name).toMatch(/Bộ Tư pháp/);
  });

  it('batches entity references through one loader', async () => {
    const data = await q(`query($reps: [_Any!]!) { _entities(representations: $reps) { ... on OrgUnit { id name } } }`, {
      reps: ['2001', '2002', '999999'].map((id) => ({ __typename: 'OrgUnit', id })),
    });
    expect(data._entities.map((e: { id: string } | null) => e?.id ?? null)).toEqual(['2001', '2002', null]);
  });
});
