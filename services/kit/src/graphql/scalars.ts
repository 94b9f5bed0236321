import { GraphQLScalarType, Kind } from 'graphql';
import { ErrorCode, userError } from './errors';
import { parseLocalDate } from '../time/local-date';

/** `Date`: a calendar date in Vietnam (UTC+7), written YYYY-MM-DD; carried as a string. */
export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  description: 'A calendar date in Vietnam (UTC+7), written YYYY-MM-DD, for example "2025-09-30".',
  serialize: (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value)),
  parseValue: (value) => parseLocalDate(value),
  parseLiteral: (ast) => parseLocalDate(ast.kind === Kind.STRING ? ast.value : undefined),
});

const INTEGER_RE = /^-?\d+$/;
/** Longer than any amount a write accepts (see write/money-ceiling.ts); never turned into a number. */
const MAX_VND_CHARS = 40;

/**
 * Every VND input of the schema is an argument named `amount` (the write tests check it), so
 * a refusal names that field, as the writers' own amount checks do.
 */
function notVnd(value: unknown, reason: string): never {
  const shown = typeof value === 'string' && value.length > MAX_VND_CHARS ? `${value.slice(0, 20)}… (${value.length} characters)` : JSON.stringify(value);
  throw userError(
    ErrorCode.BAD_USER_INPUT,
    `An amount in VND must be a whole number of dong written as a string of digits, for example "1250000000"; got ${shown}.`,
    { field: 'amount', reason },
  );
}

function toVnd(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && value.length > MAX_VND_CHARS && INTEGER_RE.test(value)) notVnd(value, 'AMOUNT_TOO_LARGE');
  if (typeof value === 'string' && INTEGER_RE.test(value)) return BigInt(value);
  return notVnd(value, 'NOT_WHOLE_DONG');
}

/**
 * `VND`: an exact amount of Vietnamese dong, serialized as a string of digits so that no
 * client turns it into a float. Sums reach far past 2^53.
 */
export const VndScalar = new GraphQLScalarType({
  name: 'VND',
  description: 'An exact amount of Vietnamese dong, a whole number written as a string of digits (e.g. "125000000000"). Never a float.',
  serialize: (value) => toVnd(value).toString(),
  parseValue: (value) => toVnd(value),
  parseLiteral: (ast) => toVnd(ast.kind === Kind.STRING || ast.kind === Kind.INT ? ast.value : undefined),
});
