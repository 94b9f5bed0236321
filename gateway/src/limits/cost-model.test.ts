import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { HierarchySizes, STATIC_SIZES, type UnitRow } from './hierarchy-sizes';
import { HierarchySource } from './hierarchy-source';
import { measureOperation } from './operation-limits';

// A ministry; 3 old provinces (2 districts each) until 2025-07-01; 2 new provinces with 4 and 6 wards from then.
const units: UnitRow[] = [{ id: 1, parentId: null, type: 'MINISTRY', validFrom: '1900-01-01', validTo: null }];
for (let p = 0; p < 3; p++) {
  units.push({ id: 10 + p, parentId: 1, type: 'PROVINCE', validFrom: '1900-01-01', validTo: '2025-07-01' });
  for (let d = 0; d < 2; d++) units.push({ id: 100 + p * 10 + d, parentId: 10 + p, type: 'DISTRICT', validFrom: '1900-01-01', validTo: '2025-07-01' });
}
[4, 6].forEach((wards, p) => {
  units.push({ id: 20 + p, parentId: 1, type: 'PROVINCE', validFrom: '2025-07-01', validTo: null });
  for (let w = 0; w < wards; w++) units.push({ id: 200 + p * 10 + w, parentId: 20 + p, type: 'WARD', validFrom: '2025-07-01', validTo: null });
});

const schema = buildSchema(`
  enum Level { MINISTRY PROVINCE DISTRICT WARD }
  input Filter { type: Level parent: ID within: ID validOn: String }
  type Unit { id: ID! name: String! children(asOf: String): [Unit!]! descendants(type: Level): [Unit!]!
              childrenConnection(first: Int = 100, filter: Filter): Conn! }
  type Edge { cursor: String! node: Unit! }
  type Conn { edges: [Edge!]! nodes: [Unit!]! totalCount: Int! }
  type Row { rank: Int! unit: Unit! }
  type Query { ministry: Unit! units(type: Level!, asOf: String): [Unit!]!
               unitsConnection(first: Int = 100, filter: Filter): Conn!
               caseRanking(level: Level = PROVINCE, within: ID, asOf: String): [Row!]! }
`);
const cost = (query: string, sizes = HierarchySizes.fromUnits(units), variables = {}) =>
  measureOperation(schema, parse(query).definitions[0] as OperationDefinitionNode, {}, sizes, variables, '2026-03-01').cost;

describe('the cost model', () => {
  it('reads the hierarchy epoch by epoch', () => {
    const sizes = HierarchySizes.fromUnits(units);
    expect(sizes.at('2024-12-31')).toMatchObject({ ofType: { MINISTRY: 1, PROVINCE: 3, DISTRICT: 6 }, maxChildren: 3, maxDescendants: 9, maxBelowRoot: 2 });
    expect(sizes.at('2026-01-01')).toMatchObject({ ofType: { MINISTRY: 1, PROVINCE: 2, WARD: 10 }, maxChildren: 6, maxDescendants: 12, maxBelowRoot: 6 });
    expect(sizes.anyDate).toMatchObject({ ofType: { PROVINCE: 3, WARD: 10, DISTRICT: 6 }, maxChildren: 6, maxOfTypeBelowRoot: { WARD: 6, DISTRICT: 2 } });
    expect(sizes.rootId).toBe(1);
  });

  it('sizes lists from their arguments and the real counts', () => {
    // 2 provinces today, each name and up to 6 children with a name.
    expect(cost(`{ units(type: PROVINCE) { name children { name } } }`)).toBe(1 + 2 * (2 + 6));
    expect(cost(`{ units(type: PROVINCE, asOf: "2025-01-01") { name } }`)).toBe(1 + 3);
    // Descendants of a province are at most the most under one non-root unit; of the ministry, everything.
    expect(cost(`{ units(type: PROVINCE) { descendants { name } } }`)).toBe(1 + 2 * (1 + 6));
    expect(cost(`{ ministry { descendants(type: WARD) { name } } }`)).toBe(1 + 1 + 10);
    // Rankings by level, and within one unit.
    expect(cost(`{ caseRanking(level: WARD) { rank } }`)).toBe(1 + 10);
    expect(cost(`{ caseRanking(level: WARD, within: "20") { rank } }`)).toBe(1 + 6);
    expect(cost(`{ caseRanking(level: WARD, within: "1") { rank } }`)).toBe(1 + 10);
  });

  it('counts a connection by its page, from literals, variables or the default', () => {
    expect(cost(`{ unitsConnection(first: 3, filter: { type: WARD }) { totalCount nodes { name } } }`)).toBe(1 + 1 + 1 + 3);
    expect(cost(`query($n: Int) { unitsConnection(first: $n) { edges { node { name } } } }`, undefined, { n: 4 })).toBe(1 + 1 + 4 * 2);
    // Without first: the default page, at most what matches (13 units today).
    expect(cost(`{ unitsConnection { nodes { id } } }`)).toBe(1 + 1 + 13);
    expect(cost(`{ ministry { childrenConnection(first: 50) { nodes { id } } } }`)).toBe(1 + 1 + 1 + 6);
  });

  it('falls back to generous static sizes without a database', () => {
    expect(cost(`{ units(type: WARD) { children { name } } }`, STATIC_SIZES)).toBe(1 + 12000 * (1 + 200));
  });
});

describe('the hierarchy source', () => {
  const logger = { warn: jest.fn() } as unknown as ConstructorParameters<typeof HierarchySource>[1];

  it('reads again when a change is announced during a read, and keeps the sizes known when a read fails', async () => {
    let rows = units.slice(0, 1);
    let fail = false;
    const reads: number[] = [];
    const source = new HierarchySource(async () => {
      reads.push(rows.length);
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (fail) throw new Error('down');
      return { rows };
    }, logger);
    expect(source.sizes).toBe(STATIC_SIZES);
    const first = source.refresh();
    rows = units; // the hierarchy changes while the first read runs
    void source.refresh();
    await first;
    expect(reads).toEqual([1, units.length]);
    expect(source.sizes.anyDate.ofType.WARD).toBe(10);
    fail = true;
    await source.refresh();
    expect(source.sizes.anyDate.ofType.WARD).toBe(10);
  });
});
