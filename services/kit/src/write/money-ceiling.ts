import { ErrorCode, userError } from '../graphql/errors';
import { ConfigError } from '../config/env';

/**
 * The default ceiling of one money event: 10^15 VND (a million billion dong), far above any
 * real judgment and ~9,000 times below the bigint limit of a single stored amount. The
 * aggregates that sum events are numeric, so no number of events can overflow them.
 */
export const DEFAULT_MONEY_MAX_PER_EVENT_VND = 10n ** 15n;
/** The highest ceiling the setting may be raised to: one event must still fit a bigint column. */
const HIGHEST_CEILING = 10n ** 18n;
/** Digits of the longest amount worth reading: anything longer is over any ceiling. */
const MAX_DIGITS = String(HIGHEST_CEILING).length;

/** Reads MONEY_MAX_PER_EVENT_VND (whole dong, 1 to 10^18); throws ConfigError when it is not one. */
export function readMoneyCeiling(source: NodeJS.ProcessEnv = process.env): bigint {
  const raw = source.MONEY_MAX_PER_EVENT_VND;
  if (raw === undefined || raw === '') return DEFAULT_MONEY_MAX_PER_EVENT_VND;
  if (!/^\d{1,19}$/.test(raw) || BigInt(raw) < 1n || BigInt(raw) > HIGHEST_CEILING)
    throw new ConfigError([`MONEY_MAX_PER_EVENT_VND must be a whole number of dong from 1 to ${HIGHEST_CEILING}, got "${raw}"`]);
  return BigInt(raw);
}

let ceiling: bigint | undefined;

/** The ceiling of this process, read once (a service reads it at start, so a bad setting stops it there). */
export function moneyMaxPerEvent(): bigint {
  return (ceiling ??= readMoneyCeiling());
}

/**
 * Checks the amount of one money event: a whole number of dong, not negative (positive for a
 * collection) and at most the ceiling. BAD_USER_INPUT names the field (and the import line).
 */
export function checkMoneyAmount(amount: bigint, options: { field?: string; line?: number; positive?: boolean } = {}): void {
  const field = options.field ?? 'amount';
  const where = { field, ...(options.line === undefined ? {} : { line: options.line }) };
  const at = options.line === undefined ? '' : `Line ${options.line}: `;
  if (amount < 0n || (options.positive && amount === 0n))
    throw userError(ErrorCode.BAD_USER_INPUT, `${at}${field} must be a ${options.positive ? 'positive' : 'non-negative'} whole number of dong.`, {
      ...where,
      reason: options.positive ? 'NON_POSITIVE_AMOUNT' : 'NEGATIVE_AMOUNT',
    });
  const max = moneyMaxPerEvent();
  if (amount > max) throw tooLarge(field, max, options.line);
}

/** The refusal of an amount above the ceiling (or too long to read). */
export function tooLarge(field: string, max = moneyMaxPerEvent(), line?: number) {
  return userError(
    ErrorCode.BAD_USER_INPUT,
    `${line === undefined ? '' : `Line ${line}: `}${field} is more than the ${max} VND one event may carry (MONEY_MAX_PER_EVENT_VND); split it or ask the operator to raise the ceiling.`,
    { field, reason: 'AMOUNT_TOO_LARGE', max: String(max), ...(line === undefined ? {} : { line }) },
  );
}

/** Whether a digit string is too long to be any allowed amount (refused without reading it). */
export function tooManyDigits(digits: string): boolean {
  return digits.replace(/^[-+]?0*/, '').length > MAX_DIGITS;
}
