import { bearer } from '../support/auth';
import { gql, gqlData } from '../support/graphql-client';
import { migrateAll, startInProcessHub, type InProcessHub } from '../support/in-process-hub';
import { demoCases, leavesOf, seedTestCases, seedTestUnits } from '../support/seeded-db';
import { createTestDatabase, dropTestDatabase } from '../support/test-db';

const codeOf = (res: { errors?: { extensions?: Record<string, unknown> }[] }) => res.errors?.[0]?.extensions?.code;
const VIETNAMESE = new Intl.Collator('vi');
const PAGE = `totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { id name type parent { id } } }`;

interface Unit {
  id: string;
  name: string;
  type: string;
  parent: { id: string } | null;
}

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string };
  edges: { node: Unit }[];
}

describe('paging, filtering and sorting units, and a cost guard that counts what is returned', () => {
  let db: string;
  let hub: InProcessHub;
  let subgraphRequests = 0;
  const ministry = bearer('ministry');
  const ask = (query: string, variables?: Record<string, unknown>, headers = ministry) => gql(hub.url, query, variables, headers);
  const data = (query: string, variables?: Record<string, unknown>, headers = ministry) => gqlData(hub.url, query, variables, headers);

  beforeAll(async () => {
    db = await createTestDatabase('paging');
    await migrateAll(db);
    const { units } = await seedTestUnits(db);
    await seedTestCases(db, demoCases(leavesOf(units), 1000, 'paging'));
    hub = await startInProcessHub(db);
    for (const s of hub.subgraphs) s.httpServer.on('request', () => subgraphRequests++);
  }, 180000);

  afterAll(async () => {
    await hub?.stop();
    if (db) await dropTestDatabase(db);
  });

  /** Every page of a connection, following endCursor. */
  async function allPages(filter: Record<string, unknown>, orderBy?: Record<string, unknown>) {
    const pages: Page[] = [];
    let after: string | null = null;
    do {
      const { unitsConnection: page }: { unitsConnection: Page } = await gqlData<{ unitsConnection: Page }>(
        hub.url,
        `query($after: String, $filter: UnitFilter, $orderBy: UnitOrder) { unitsConnection(first: 500, after: $after, filter: $filter, orderBy: $orderBy) { ${PAGE} } }`,
        { after, filter, orderBy },
        ministry,
      );
      pages.push(page);
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    return pages;
  }

  it('pages through the 3,321 wards 500 at a time, each exactly once, in Vietnamese order', async () => {
    const { units: wards } = await data(`{ units(type: WARD) { id name } }`);
    expect(wards).toHaveLength(3321);
    const pages = await allPages({ type: 'WARD' });
    expect(pages.map((p) => p.edges.length)).toEqual([500, 500, 500, 500, 500, 500, 321]);
    expect(pages.every((p) => p.totalCount === 3321)).toBe(true);
    expect(pages.map((p) => p.pageInfo.hasPreviousPage)).toEqual([false, true, true, true, true, true, true]);
    const paged = pages.flatMap((p) => p.edges.map((e) => e.node));
    expect(new Set(paged.map((u) => u.id)).size).toBe(3321);
    expect(paged.map((u) => u.id).sort()).toEqual(wards.map((u: Unit) => u.id).sort());
    expect(paged.every((u) => u.type === 'WARD')).toBe(true);
    const names = paged.map((u) => u.name);
    expect(names).toEqual([...names].sort(VIETNAMESE.compare));
    // Vietnamese order, not code points: "Đ" comes after "D" and before "E", whatever its tone marks.
    const first = names.findIndex((n) => /^Đ/.test(n));
    expect(first).toBeGreaterThan(-1);
    expect(names.slice(first).some((n) => /^[A-C]/.test(n))).toBe(false);

    // By id, from the end: the same wards, in the other order.
    const byId = (await allPages({ type: 'WARD' }, { field: 'ID', direction: 'DESC' })).flatMap((p) => p.edges.map((e) => Number(e.node.id)));
    expect(byId).toEqual(wards.map((u: Unit) => Number(u.id)).sort((a: number, b: number) => b - a));
  }, 60000);

  it('filters by level, parent, ancestor, date and name, without diacritics and by abbreviation', async () => {
    const { hanoi } = await data(`{ hanoi: unitByCode(code: "ha-noi") { id children { id } } }`);
    const underHanoi = await data(
      `query($id: ID!) { unitsConnection(first: 500, filter: { parent: $id }) { totalCount nodes { id } }
                         unit(id: $id) { childrenConnection(first: 500) { totalCount nodes { id } }
                                         descendantsConnection(first: 1, filter: { type: WARD }) { totalCount } } }`,
      { id: hanoi.id },
    );
    const childIds = hanoi.children.map((c: { id: string }) => c.id).sort();
    expect(childIds.length).toBeGreaterThan(10);
    expect(underHanoi.unitsConnection.nodes.map((u: { id: string }) => u.id).sort()).toEqual(childIds);
    expect(underHanoi.unit.childrenConnection.nodes.map((u: { id: string }) => u.id).sort()).toEqual(childIds);
    expect([underHanoi.unitsConnection.totalCount, underHanoi.unit.childrenConnection.totalCount]).toEqual([childIds.length, childIds.length]);
    expect(underHanoi.unit.descendantsConnection.totalCount).toBe(childIds.length);

    const found = await data(`{
      plain: unitsConnection(filter: { name: "ha noi", type: PROVINCE }) { nodes { name } }
      hcm: unitsConnection(filter: { name: "hcm", type: PROVINCE }) { nodes { name } }
      tphcm: unitsConnection(filter: { name: "TP.HCM" }) { totalCount nodes { name type } }
      old: unitsConnection(filter: { type: PROVINCE, validOn: "2024-12-31" }) { totalCount }
      now: unitsConnection(filter: { type: PROVINCE }) { totalCount }
      nation: ministry { descendantsConnection(first: 0, filter: { type: WARD }) { totalCount pageInfo { hasNextPage } } }
      search: searchUnits(text: "hcm", type: PROVINCE) { name }
    }`);
    expect(found.plain.nodes).toEqual([{ name: 'Hà Nội' }]);
    expect(found.hcm.nodes).toEqual([{ name: expect.stringMatching(/Hồ Chí Minh/) }]);
    expect(found.tphcm.nodes).toContainEqual({ name: found.hcm.nodes[0].name, type: 'PROVINCE' });
    expect([found.old.totalCount, found.now.totalCount]).toEqual([63, 34]);
    expect(found.nation.descendantsConnection).toEqual({ totalCount: 3321, pageInfo: { hasNextPage: true } });
    // searchUnits reads the same table of abbreviations (units of any date: the old city too).
    expect(found.search.length).toBeGreaterThan(0);
    expect(found.search.every((u: { name: string }) => /Hồ Chí Minh/.test(u.name))).toBe(true);
  });

  it('counts only what the caller may see: a province pages its own wards', async () => {
    const { hanoi } = await data(`{ hanoi: unitByCode(code: "ha-noi") { id children { id } } }`);
    const own = await data(`{ unitsConnection(first: 500, filter: { type: WARD }) { totalCount } }`, undefined, bearer('province', [Number(hanoi.id)]));
    expect(own.unitsConnection.totalCount).toBe(hanoi.children.length);
  });

  it('refuses a broken or foreign cursor and a page over the cap with BAD_USER_INPUT', async () => {
    const first = await data(`{ unitsConnection(first: 1) { pageInfo { endCursor } } }`);
    const cursor = first.unitsConnection.pageInfo.endCursor;
    const broken = await ask(`{ unitsConnection(first: 5, after: "bm90IGEgY3Vyc29y") { totalCount } }`);
    const foreign = await ask(`query($c: String) { unitsConnection(after: $c, orderBy: { field: CODE }) { totalCount } }`, { c: cursor });
    const tooMany = await ask(`query($n: Int!) { unitsConnection(first: $n) { totalCount } }`, { n: 501 });
    expect([codeOf(broken), codeOf(foreign), codeOf(tooMany)]).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT']);
    expect(broken.errors?.[0]?.message).toMatch(/not a cursor of this list/);
    expect(foreign.errors?.[0]?.message).toMatch(/made for the order NAME ASC/);
    expect(tooMany.errors?.[0]?.message).toMatch(/first must be 0–500, got 501/);
    // The cursor itself works where it belongs.
    expect(codeOf(await ask(`query($c: String) { unitsConnection(first: 1, after: $c) { totalCount } }`, { c: cursor }))).toBeUndefined();
  });

  it('serves the provinces with their wards, and refuses true bombs before any subgraph sees them, naming the estimate and the limit', async () => {
    const natural = await data(`{ units(type: PROVINCE) { name children { name caseStats(period: { year: 2026 }) { done } } } }`);
    expect(natural.units).toHaveLength(34);
    expect(natural.units.reduce((n: number, p: { children: unknown[] }) => n + p.children.length, 0)).toBe(3321);
    // Paged connections count their page: three levels of 5 pass, three levels of 500 do not.
    const nested = `query($n: Int!) { unitsConnection(first: $n) { nodes { descendantsConnection(first: $n) { nodes { childrenConnection(first: $n) { nodes { name caseStats(period: { year: 2026 }) { done } } } } } } } }`;
    expect(codeOf(await ask(nested, { n: 5 }))).toBeUndefined();

    const bombs = [
      [nested, { n: 500 }],
      [
        `{ units(type: PROVINCE) { descendants { caseStats(period: { year: 2026 }) { done } descendants { caseStats(period: { year: 2026 }) { done } } } } }`,
        {},
      ],
      [`{ caseRanking(period: { year: 2026 }, level: WARD) { unit { children { descendants { name caseStats(period: { year: 2026 }) { done } } } } } }`, {}],
    ] as const;
    const before = subgraphRequests;
    for (const [query, variables] of bombs) {
      const started = Date.now();
      const res = await ask(query, variables);
      expect(Date.now() - started).toBeLessThan(1000);
      expect([res.status, codeOf(res), res.errors?.[0]?.extensions?.limit, res.errors?.[0]?.extensions?.max]).toEqual([400, 'OPERATION_LIMIT', 'cost', 200000]);
      expect(res.errors?.[0]?.extensions?.value).toBeGreaterThan(200000);
      expect(res.errors?.[0]?.message).toMatch(/could return about [\d,]+ fields; at most 200,000 are served/);
    }
    expect(subgraphRequests).toBe(before);
  });
});
