import { ConfigError } from '../config/env';
import { DEFAULT_MONEY_MAX_PER_EVENT_VND, checkMoneyAmount, readMoneyCeiling, tooManyDigits } from './money-ceiling';

describe('the ceiling of one money event', () => {
  it('defaults to 10^15 VND and takes a whole number of dong up to 10^18', () => {
    expect(readMoneyCeiling({})).toBe(DEFAULT_MONEY_MAX_PER_EVENT_VND);
    expect(DEFAULT_MONEY_MAX_PER_EVENT_VND).toBe(10n ** 15n);
    expect(readMoneyCeiling({ MONEY_MAX_PER_EVENT_VND: '2000000000000000' })).toBe(2n * 10n ** 15n);
    expect(readMoneyCeiling({ MONEY_MAX_PER_EVENT_VND: String(10n ** 18n) })).toBe(10n ** 18n);
  });

  it('refuses a setting that is not a whole number of dong from 1 to 10^18', () => {
    for (const raw of ['0', '-1', '1.5', '1e15', 'lots', String(10n ** 18n + 1n), '9'.repeat(30)]) {
      expect(() => readMoneyCeiling({ MONEY_MAX_PER_EVENT_VND: raw })).toThrow(ConfigError);
    }
  });

  it('refuses negative amounts, zero collections and amounts above the ceiling, naming the field and line', () => {
    expect(() => checkMoneyAmount(0n)).not.toThrow();
    expect(() => checkMoneyAmount(10n ** 15n)).not.toThrow();
    const refusal = (amount: bigint, options: Parameters<typeof checkMoneyAmount>[1] = {}) => {
      try {
        checkMoneyAmount(amount, options);
      } catch (err) {
        return (err as { extensions: Record<string, unknown> }).extensions;
      }
      throw new Error(`${amount} was accepted`);
    };
    expect(refusal(10n ** 15n + 1n)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'amount', reason: 'AMOUNT_TOO_LARGE' });
    expect(refusal(-1n, { line: 7 })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'amount', reason: 'NEGATIVE_AMOUNT', line: 7 });
    expect(refusal(0n, { positive: true })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'amount', reason: 'NON_POSITIVE_AMOUNT' });
  });

  it('knows a digit string too long to be any allowed amount without reading it', () => {
    expect(tooManyDigits('1'.repeat(19))).toBe(false);
    expect(tooManyDigits('0'.repeat(50) + '1')).toBe(false);
    expect(tooManyDigits('1'.repeat(20))).toBe(true);
  });
});
