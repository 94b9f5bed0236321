import { nameSearchTexts } from './name-abbreviations';
import { OrderDirection, UnitOrderField } from './unit-connection.types';
import { encodeCursor, pageOf } from './unit-page';

const units = ['Bắc Ninh', 'An Giang', 'Đồng Nai', 'Dak Lak', 'Ê Đê', 'Ăn Khê', 'Cà Mau', 'An Giang'].map((name, i) => ({
  id: i + 1,
  name,
  code: `c${9 - i}`,
}));
const byName = { field: UnitOrderField.NAME, direction: OrderDirection.ASC };
const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
    return undefined;
  } catch (err) {
    return (err as { extensions: { code: string } }).extensions.code;
  }
};

describe('unit pages', () => {
  it('walks every unit once in Vietnamese order, ties by id, with cursors that survive a removed unit', () => {
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: ReturnType<typeof pageOf<(typeof units)[number]>> = pageOf(units, byName, 3, after);
      expect(page.totalCount).toBe(8);
      seen.push(...page.nodes.map((u) => `${u.name}#${u.id}`));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(['An Giang#2', 'An Giang#8', 'Ăn Khê#6', 'Bắc Ninh#1', 'Cà Mau#7', 'Dak Lak#4', 'Đồng Nai#3', 'Ê Đê#5']);
    // The cursor names a place in the order, not an index: removing the unit it points at changes nothing after it.
    const cursor = encodeCursor(byName, units[0]!);
    expect(pageOf(units.slice(1), byName, 2, cursor).nodes.map((u) => u.name)).toEqual(['Cà Mau', 'Dak Lak']);
  });

  it('sorts by code and id, either way', () => {
    expect(pageOf(units, { field: UnitOrderField.CODE, direction: OrderDirection.ASC }, 2, null).nodes.map((u) => u.code)).toEqual(['c2', 'c3']);
    expect(pageOf(units, { field: UnitOrderField.ID, direction: OrderDirection.DESC }, 2, null).nodes.map((u) => u.id)).toEqual([8, 7]);
  });

  it('refuses a foreign or broken cursor and a page over the cap with BAD_USER_INPUT', () => {
    const byCode = { field: UnitOrderField.CODE, direction: OrderDirection.ASC };
    expect(codeOf(() => pageOf(units, byName, 2, encodeCursor(byCode, units[0]!)))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => pageOf(units, byName, 2, 'not a cursor'))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => pageOf(units, byName, 2, Buffer.from('[1,2]').toString('base64url')))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => pageOf(units, byName, 501, null))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => pageOf(units, byName, -1, null))).toBe('BAD_USER_INPUT');
    expect(pageOf(units, byName, 0, null)).toMatchObject({ nodes: [], totalCount: 8, pageInfo: { hasNextPage: true, endCursor: null } });
  });
});

describe('name search texts', () => {
  it('folds diacritics and spells out the abbreviations of the table', () => {
    expect(nameSearchTexts('Hà Nội')).toEqual(['ha noi']);
    expect(nameSearchTexts('HCM')).toEqual(['hcm', 'ho chi minh']);
    expect(nameSearchTexts('TP.HCM')).toEqual(['tp hcm', 'ho chi minh']);
    expect(nameSearchTexts('tphcm')).toEqual(['tphcm', 'ho chi minh']);
    expect(nameSearchTexts('phuong hn')).toEqual(['phuong hn', 'phuong ha noi']);
    expect(nameSearchTexts('tp vinh')).toEqual(['tp vinh', 'vinh']);
    expect(nameSearchTexts('tp')).toEqual(['tp']);
  });
});
