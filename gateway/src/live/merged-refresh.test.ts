import { parse, print } from 'graphql';
import { mergeRefreshes, splitMerged } from './merged-refresh';

describe('merged refreshes', () => {
  const doc = parse(
    'query Live($id: ID!, $p: PeriodInput) { liveUnit: unit(id: $id) { id caseStats(period: $p) { done } ...Name } } fragment Name on OrgUnit { name }',
  );

  it('repeats the root fields under one alias a member, with renamed variables', () => {
    const merged = mergeRefreshes(doc, [{ id: '2001' }, { id: '2012', p: { year: 2025 } }])!;
    const text = print(merged.document);
    expect(text).toContain('_0_liveUnit: unit(id: $id_0)');
    expect(text).toContain('_1_liveUnit: unit(id: $id_1)');
    expect(text).toContain('caseStats(period: $p_1)');
    expect(text.match(/fragment Name/g)).toHaveLength(1);
    expect(merged.variables).toEqual({ id_0: '2001', id_1: '2012', p_1: { year: 2025 } });
  });

  it('does not merge when a fragment reads an operation variable', () => {
    const withVar = parse('query($id: ID!) { unit(id: $id) { ...F } } fragment F on OrgUnit { children(type: $t) { id } }');
    expect(mergeRefreshes(withVar, [{ id: '1' }, { id: '2' }])).toBeNull();
  });

  it('cuts the result back, each error to the member whose field raised it', () => {
    const parts = splitMerged(
      {
        data: { _0_liveUnit: { id: '2001' }, _1_liveUnit: null },
        errors: [{ message: 'no such unit', path: ['_1_liveUnit'], extensions: { code: 'UNIT_NOT_FOUND' } }, { message: 'subgraph down' }],
      },
      2,
    );
    expect(parts[0]).toEqual({ data: { liveUnit: { id: '2001' } }, errors: [{ message: 'subgraph down', path: undefined }] });
    expect(parts[1]!.data).toEqual({ liveUnit: null });
    expect(parts[1]!.errors?.map((e) => [e.message, e.path])).toEqual([
      ['no such unit', ['liveUnit']],
      ['subgraph down', undefined],
    ]);
  });
});
