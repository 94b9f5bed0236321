import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { ErrorCode } from '@thads/kit';
import { ROOT } from './pg-server';

/**
 * Generators of hostile inputs for the fuzz test (test/e2e/attacks/fuzz.e2e.test.ts): real
 * operations taken apart token by token and put together wrongly, values of every wrong type,
 * JSON of every wrong shape, bytes that are not UTF-8.
 */

/** Every code a client may see: the hub's own set (but the internal one) and what Apollo Server says of a request it cannot run. */
export const STABLE_CODES = new Set<string>([
  ...Object.values(ErrorCode).filter((c) => c !== ErrorCode.INTERNAL_SERVER_ERROR),
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** What must never reach a client: a stack frame, a database error, a server path. */
export const LEAK =
  /\n\s+at |\bat [\w$.<>]+ \(|node_modules|\/dist\/|\.[tj]s:\d+|duplicate key|violates|invalid input syntax|out of range for type|invalid byte sequence|syntax error at or near|null value in column|current transaction is aborted|relation "|column "|pg_|ECONN|ETIMEDOUT|Cannot read prop|is not a function|undefined is not|Maximum call stack/i;

/** The operations of the README, as a user copies them. */
export function readmeOperations(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  return [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!.replace(/^#.*$/gm, '').trim());
}

/** Field, argument and enum value names of the published schema: names the server knows, put where they do not belong. */
export function schemaNames(): string[] {
  const sdl = readFileSync(join(ROOT, 'schema', 'api.graphql'), 'utf8').replace(/"""[\s\S]*?"""/g, '');
  const fields = [...sdl.matchAll(/^\s+([A-Za-z_]\w*)\s*[(:]/gm)].map((m) => m[1]!);
  const enumValues = [...sdl.matchAll(/^\s+([A-Z][A-Z0-9_]+)\s*$/gm)].map((m) => m[1]!);
  return [...new Set([...fields, ...enumValues])];
}

/** More operations: each root mutation and subscription with variables, so that the values vary freely. */
export const EXTRA_OPERATIONS = [
  'query Province($code: String!) { unitByCode(code: $code) { name caseStats(period: { year: 2025 }) { done completionRate } } }',
  'query($id: ID!, $asOf: Date) { unit(id: $id, asOf: $asOf) { id name children { id } } }',
  'query($p: PeriodInput!) { caseRanking(period: $p, level: PROVINCE) { rank unit { name } } }',
  'query { caseGrid(level: PROVINCE, periods: [{ year: 2026 }], indicators: [DONE, COMPLETION_RATE]) { rows { unitName values } } }',
  'mutation($input: ReceiveCaseInput!, $key: String!) { receiveCase(input: $input, idempotencyKey: $key) { id status } }',
  'mutation($path: String!) { importCaseEvents(path: $path) { applied skipped } }',
  'subscription($code: String!) { liveUnitByCode(code: $code) { name caseStats(period: { year: 2026 }) { done } } }',
  'subscription { liveMinistry { name moneyStats(period: { year: 2026 }) { done } } }',
  'fragment F on OrgUnit { id name } query { ministry { ...F children { ...F } } }',
  '{ __schema { types { name } } }',
  '{ __type(name: "OrgUnit") { fields { name } } }',
];

const TOKEN = /"""[\s\S]*?"""|"(?:[^"\\\n]|\\.)*"|\.\.\.|[_A-Za-z][_0-9A-Za-z]*|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|[!$&(){}[\]:=@|,]|\s+|./g;

/** A document's tokens, white space included (joined again they are the document). */
export const tokensOf = (document: string): string[] => document.match(TOKEN) ?? [];

/** Strings that are odd to a parser, a scalar or a database: every kind of large, empty, invisible or control. */
export const oddText = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\u0007',
    '\u001b[31m',
    '\u007f',
    '\u0085',
    '\u009f',
    '\uFEFF',
    '\u200B',
    '\u202Ethgir',
    '\uD800',
    '\uDFFF',
    '\u{1F600}',
    'e\u0301',
    'Ｈà Ｎội',
    '𝟙𝟚𝟛',
    '١٢٣',
    '\r\n',
    '\t',
    "'; DROP TABLE cases.case_event; --",
    '%00',
    '../../etc/passwd',
    '${jndi:x}',
    '<script>',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.nat({ max: 200_000 }).map((n) => 'x'.repeat(n)),
);

/** Digit strings and near-numbers, as amounts, ids and years are written wrong. */
export const oddNumberText = fc.oneof(
  fc.constantFrom('0', '-0', '-1', '00', '007', '1e3', '1E400', '0x10', '1_000', '1,000', '1.5', '.5', 'NaN', 'Infinity', '+1', ' 1', '1 ', '１２'),
  fc.stringMatching(/^[0-9]{1,60}$/),
  fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map(String),
  fc.constantFrom(
    String(2n ** 31n),
    String(2n ** 31n - 1n),
    String(2n ** 63n),
    String(2n ** 63n - 1n),
    String(2n ** 64n),
    String(10n ** 15n + 1n),
    String(10n ** 18n),
  ),
);

/** Numbers as JSON carries them: huge, negative, fractional. */
export const oddNumber = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -1, 2 ** 31, 2 ** 53 + 1, 1e21, 1e308, -1e308, 5e-324, Number.MAX_SAFE_INTEGER),
);

/** Dates as they come wrong: impossible days, other formats, whole timestamps, far years. */
export const oddDate = fc.oneof(
  fc.constantFrom(
    '2025-02-29',
    '2024-02-29',
    '0000-00-00',
    '0001-01-01',
    '9999-12-31',
    '2025-13-01',
    '2025-00-10',
    '2025-01-32',
    '2025-1-1',
    '25-01-01',
    '2025/01/01',
    '01-01-2025',
    '2025-01-01T00:00:00Z',
    '+275760-09-13',
    '-000001-01-01',
    '２０２５-０１-０１',
    '2025-01-01\n',
  ),
  fc.date({ noInvalidDate: true, min: new Date('1900-01-01'), max: new Date('2100-01-01') }).map((d) => d.toISOString().slice(0, 10)),
  fc.stringMatching(/^\d{4,6}-\d{1,3}-\d{1,3}$/),
);

/** JSON of every shape, deep ones included (deeper than the 64 levels a request may nest). */
export const deepJson = fc
  .nat({ max: 300 })
  .chain((depth) =>
    fc.constantFrom(JSON.parse(`${'['.repeat(depth)}1${']'.repeat(depth)}`) as unknown, JSON.parse(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`) as unknown),
  );
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 2, arbitrary: oddText },
  { weight: 2, arbitrary: oddNumber },
  { weight: 1, arbitrary: deepJson },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}) },
);

/** A value for a field that expects `valid`: usually a plausible one, often one of the wrong kind. */
export const around = (valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 4, arbitrary: valid }, { weight: 2, arbitrary: oddText }, { weight: 2, arbitrary: oddNumberText }, { weight: 1, arbitrary: anyJson });

/** What replaces or joins a token: names, punctuation, keywords, literals of every kind, deep brackets. */
export function tokenPool(names: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...names),
    fc.stringMatching(/^[_A-Za-z][_0-9A-Za-z]{0,12}$/),
    fc.constantFrom('{', '}', '(', ')', '[', ']', '$', '@', '...', ':', '!', '=', '|', '&', '#', ',', '"', '"""', '\\'),
    fc.constantFrom('query', 'mutation', 'subscription', 'fragment', 'on', 'true', 'false', 'null', '__typename', '__schema', '@include(if: true)', '@skip'),
    oddNumberText,
    oddText.map((t) => JSON.stringify(t)),
    // A raw control character or lone surrogate in the document's text, not escaped.
    fc.constantFrom('"\u0000"', '\u0000', '"a\u0001b"', '\u0007', '\uD800', '"\uFEFF"', '\u2028'),
    fc.integer({ min: 1, max: 400 }).map((n) => `${'{ a '.repeat(n)}${'}'.repeat(n)}`),
    fc.integer({ min: 1, max: 400 }).map((n) => `${'['.repeat(n)}1${']'.repeat(n)}`),
    fc.integer({ min: 1, max: 400 }).map((n) => `${'children { '.repeat(n)}id${' }'.repeat(n)}`),
    fc.integer({ min: 30, max: 200 }).map((n) => Array.from({ length: n }, (_v, i) => `a${i}: __typename`).join(' ')),
  );
}

type Edit =
  { op: 'drop' | 'duplicate' | 'truncate'; at: number } | { op: 'swap'; at: number; with: number } | { op: 'replace' | 'insert'; at: number; token: string };

/** A document with a few of its tokens dropped, doubled, swapped, replaced or joined by others. */
export function mutatedDocument(documents: string[], names: string[]): fc.Arbitrary<string> {
  const pool = tokenPool(names);
  const edit: fc.Arbitrary<Edit> = fc.oneof(
    fc.record({ op: fc.constantFrom('drop' as const, 'duplicate' as const, 'truncate' as const), at: fc.nat() }),
    fc.record({ op: fc.constant('swap' as const), at: fc.nat(), with: fc.nat() }),
    fc.record({ op: fc.constantFrom('replace' as const, 'insert' as const), at: fc.nat(), token: pool }),
  );
  return fc.tuple(fc.constantFrom(...documents), fc.array(edit, { minLength: 0, maxLength: 5 })).map(([document, edits]) => {
    let tokens = tokensOf(document);
    for (const e of edits) {
      if (tokens.length === 0) tokens = [''];
      const at = e.at % tokens.length;
      if (e.op === 'drop') tokens.splice(at, 1);
      else if (e.op === 'duplicate') tokens.splice(at, 0, tokens[at]!);
      else if (e.op === 'truncate') tokens = tokens.slice(0, at);
      else if ('with' in e) {
        const other = e.with % tokens.length;
        [tokens[at], tokens[other]] = [tokens[other]!, tokens[at]!];
      } else if ('token' in e) {
        if (e.op === 'replace') tokens[at] = e.token;
        else tokens.splice(at, 0, ` ${e.token} `);
      }
    }
    return tokens.join('');
  });
}

/** Bytes that are not UTF-8: lone continuation bytes, overlong forms, surrogates, truncated sequences. */
export const invalidUtf8 = fc.constantFrom(
  Buffer.from([0xff]),
  Buffer.from([0xfe, 0xff]),
  Buffer.from([0x80]),
  Buffer.from([0xc0, 0xaf]),
  Buffer.from([0xe0, 0x80, 0xaf]),
  Buffer.from([0xed, 0xa0, 0x80]),
  Buffer.from([0xf4, 0x90, 0x80, 0x80]),
  Buffer.from([0xe2, 0x82]),
  Buffer.from([0x00]),
);

/** `text` with bytes spliced in at a position (a fraction of its length). */
export function spliceBytes(text: string | Buffer, bytes: Buffer, where: number): Buffer {
  const buffer = Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
  const at = Math.floor(where * buffer.length);
  return Buffer.concat([buffer.subarray(0, at), bytes, buffer.subarray(at)]);
}
