// Numbers the Vietnamese way (1.234.567; 88,38 %) and names in Vietnamese order. No imports:
// the tests load this file as it is.

const INTEGER = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 });
const RATE = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const POINTS = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'exceptZero' });

/** Vietnamese alphabetical order (Đ after D, tones after the bare letter), for every list of names. */
export const collator = new Intl.Collator('vi');

/** A count, e.g. 1.234.567; a dash when there is none. */
export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : INTEGER.format(value);
}

/** An amount in VND as the API sends it (a string of digits), grouped exactly: it goes through BigInt, never a float. */
export function formatVnd(value: string | null | undefined): string {
  if (value === null || value === undefined || !/^-?\d+$/.test(value)) return '—';
  return INTEGER.format(BigInt(value));
}

/** A percentage with 2 decimals, e.g. 88,38 %; a dash when the API has none (nothing enforceable). */
export function formatRate(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : `${RATE.format(value)}\u00a0%`;
}

/** A change in percentage points with its sign, e.g. +1,25 or −0,40. */
export function formatPoints(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : POINTS.format(value);
}

/**
 * The difference of two rates in percentage points, exact to the hundredth: the API's rates
 * have 2 decimals, so the difference is taken in whole hundredths.
 */
export function rateChange(now: number | null | undefined, before: number | null | undefined): number | null {
  if (now === null || now === undefined || before === null || before === undefined) return null;
  return (Math.round(now * 100) - Math.round(before * 100)) / 100;
}

/** Orders two VND strings exactly (BigInt), missing values last. */
export function compareVnd(a: string | null, b: string | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  const [x, y] = [BigInt(a), BigInt(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Today's date in Vietnam (UTC+7), YYYY-MM-DD, whatever the browser's time zone: the API's dates are Vietnamese dates. */
export function todayInVietnam(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** A clock time in Vietnamese form, e.g. 14:05:09. */
export function formatTime(date: Date): string {
  return new Intl.DateTimeFormat('vi-VN', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(date);
}
