import { checkDocumentText, checkRequestInputs, checkVariables } from './input-checks';

const codeOf = (e: { extensions: Record<string, unknown> } | undefined) => e && [e.extensions.code, e.extensions.limit ?? e.extensions.reason];

describe('the input checks before parsing', () => {
  it('refuses a document nested deeper than the limit without recursing, and passes ordinary ones', () => {
    const deep = `{ ministry { ${'children { '.repeat(100000)}id${' }'.repeat(100000)} } }`;
    expect(codeOf(checkDocumentText(deep, 64))).toEqual(['OPERATION_LIMIT', 'depth']);
    expect(codeOf(checkDocumentText(`{ a(x: ${'['.repeat(70)}1${']'.repeat(70)}) }`, 64))).toEqual(['OPERATION_LIMIT', 'depth']);
    expect(checkDocumentText(`query($p: PeriodInput!) { unit(id: "1") { children { caseStats(period: $p) { done } } } }`, 64)).toBeUndefined();
    // Brackets inside strings and comments are text, not nesting.
    expect(checkDocumentText(`{ unitByCode(code: "${'{'.repeat(100)}") { id } } # ${'('.repeat(100)}`, 64)).toBeUndefined();
    // A document the lexer cannot read is the parser's to refuse.
    expect(checkDocumentText('{ a(x: "unterminated) }', 64)).toBeUndefined();
  });

  it('refuses control characters in string literals and variables, but not tabs and line breaks', () => {
    expect(codeOf(checkDocumentText('{ unitByCode(code: "ha\\u0000noi") { id } }'))).toEqual(['BAD_USER_INPUT', 'CONTROL_CHARACTER']);
    expect(checkDocumentText('{ unitByCode(code: "ha\\u0000noi") { id } }')?.message).toMatch(/U\+0000/);
    expect(codeOf(checkDocumentText('{ a(x: """x\u0007""") }'))).toEqual(['BAD_USER_INPUT', 'CONTROL_CHARACTER']);
    expect(checkDocumentText('{ a(x: "tab\\there\\nand a line") }')).toBeUndefined();
    const refused = checkVariables({ input: { unitId: '1', judgmentRef: ['ok', '1/2025\u0000'] } });
    expect(codeOf(refused)).toEqual(['BAD_USER_INPUT', 'CONTROL_CHARACTER']);
    expect(refused?.extensions.variable).toBe('input');
    expect(codeOf(checkVariables({ x: '\u009b' }))).toEqual(['BAD_USER_INPUT', 'CONTROL_CHARACTER']);
    expect(checkVariables({ code: 'Tỉnh Tuyên Quang', note: 'line 1\r\nline 2\tend' })).toBeUndefined();
  });

  it('refuses a body nested deeper than the limit anywhere, without recursing', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200000; i++) deep = [deep];
    expect(codeOf(checkRequestInputs({ variables: { x: deep } }))).toEqual(['OPERATION_LIMIT', 'depth']);
    expect(codeOf(checkRequestInputs({ query: '{ __typename }', rest: { extensions: deep } }))).toEqual(['OPERATION_LIMIT', 'depth']);
    expect(checkRequestInputs({ query: '{ __typename }', variables: { a: [[1, 2]] }, rest: {} })).toBeUndefined();
  });
});
