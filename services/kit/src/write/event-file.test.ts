import { EventLineParser, field } from './event-file';

/** The records of NDJSON lines, as an import reads them. */
function records(...lines: string[]) {
  const parser = new EventLineParser('ndjson');
  lines.forEach((line, i) => parser.push(line, i + 1));
  return parser.finish();
}

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    const e = err as { message: string; extensions?: Record<string, unknown> };
    return { code: e.extensions?.code, field: e.extensions?.field, message: e.message };
  }
  throw new Error('not refused');
};

describe('event file ids', () => {
  it('reads ids written as numbers or as text, leading zeros dropped', () => {
    const [a, b, c] = records('{"caseId": 123}', '{"caseId": "007"}', '{"caseId": "123456789012345678"}');
    expect(field.id(a!, 'caseId')).toBe('123');
    expect(field.id(b!, 'caseId')).toBe('7');
    expect(field.id(c!, 'caseId')).toBe('123456789012345678');
  });

  it('refuses an id a JSON number cannot carry exactly, instead of recording the rounded one', () => {
    const [big] = records('{"caseId": 12345678901234567}');
    expect(refusal(() => field.id(big!, 'caseId'))).toEqual({
      code: 'IMPORT_REJECTED',
      field: 'caseId',
      message: expect.stringMatching(/^Line 1: "caseId" 12345678901234568 is too large for a JSON number to carry exactly; write it as text/),
    });
    const [fraction] = records('{"caseId": 1.5}');
    expect(refusal(() => field.id(fraction!, 'caseId'))).toMatchObject({
      code: 'IMPORT_REJECTED',
      message: expect.stringMatching(/must be a positive whole number/),
    });
  });
});
