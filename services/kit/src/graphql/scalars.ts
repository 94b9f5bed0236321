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

function toVnd(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && INTEGER_RE.test(value)) return BigInt(value);
  throw userError(
    ErrorCode.BAD_USER_INPUT,
    `An amount in VND must be a whole number of dong written as a string of digits, for example "1250000000"; got ${JSON.stringify(value)}.`,
  );
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
