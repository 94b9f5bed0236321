import { addDays, msToNextVietnamMidnight, parseLocalDate, todayInVietnam } from './local-date';

describe('parseLocalDate', () => {
  it('accepts real dates', () => {
    expect(parseLocalDate('2024-02-29')).toBe('2024-02-29');
  });

  it.each(['2025-02-29', '2025-13-01', '2025-1-01', '01/02/2025', '', '2025-09-31'])('refuses %p with INVALID_DATE', (value) => {
    expect(() => parseLocalDate(value)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'INVALID_DATE' }) }));
  });

  it('refuses non-strings', () => {
    expect(() => parseLocalDate(20250101)).toThrow(/YYYY-MM-DD/);
  });
});

describe('todayInVietnam', () => {
  it('uses UTC+7: 18:00 UTC on 30 June is already 1 July in Hanoi', () => {
    expect(todayInVietnam(new Date('2025-06-30T18:00:00Z'))).toBe('2025-07-01');
    expect(todayInVietnam(new Date('2025-06-30T16:59:59Z'))).toBe('2025-06-30');
  });
});

describe('addDays', () => {
  it('crosses month and year ends', () => {
    expect(addDays('2025-07-01', -1)).toBe('2025-06-30');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
  });
});

describe('msToNextVietnamMidnight', () => {
  it('counts to 17:00 UTC, midnight in Hanoi', () => {
    expect(msToNextVietnamMidnight(Date.parse('2025-06-30T16:59:59.000Z'))).toBe(1000);
    expect(msToNextVietnamMidnight(Date.parse('2025-06-30T17:00:00.000Z'))).toBe(86_400_000);
    expect(todayInVietnam(new Date(Date.parse('2025-06-30T16:59:59.000Z') + 1000))).toBe('2025-07-01');
  });
});
