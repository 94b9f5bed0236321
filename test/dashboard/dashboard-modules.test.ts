import { toCsv } from '../../dashboard/src/csv';
import { collator, formatCount, formatPoints, formatRate, formatVnd, rateChange, todayInVietnam } from '../../dashboard/src/format';
import { defaultPeriod, periodEnd, previousYear, statisticalYearOf, toPeriodInput } from '../../dashboard/src/period';

describe("the dashboard's pure modules", () => {
  it('writes numbers the Vietnamese way and keeps VND exact past 2^53', () => {
    expect(formatCount(1234567)).toBe('1.234.567');
    expect(formatRate(88.38)).toBe('88,38\u00a0%');
    expect(formatRate(40)).toBe('40,00\u00a0%');
    expect(formatRate(null)).toBe('—');
    expect(formatPoints(1.5)).toBe('+1,50');
    expect(formatVnd('123456789012345678901')).toBe('123.456.789.012.345.678.901');
    expect(formatVnd('not digits')).toBe('—');
    expect(rateChange(34.15, 42.67)).toBe(-8.52);
    expect(rateChange(0.3, 0.1)).toBe(0.2);
    expect(rateChange(null, 1)).toBeNull();
  });

  it('orders names as Vietnamese does', () => {
    expect(['Đồng Nai', 'Điện Biên', 'Đà Nẵng', 'Cà Mau', 'Dak', 'Hà Nội', 'Hải Phòng'].sort(collator.compare)).toEqual([
      'Cà Mau',
      'Dak',
      'Đà Nẵng',
      'Điện Biên',
      'Đồng Nai',
      'Hà Nội',
      'Hải Phòng',
    ]);
  });

  it("maps the picker's choices to PeriodInput, their last day and the same period a year before", () => {
    expect(statisticalYearOf('2026-09-30')).toBe(2026);
    expect(statisticalYearOf('2026-10-01')).toBe(2027);
    expect(defaultPeriod('2026-12-03')).toEqual({ kind: 'months', year: 2027, months: 3 });
    expect(defaultPeriod('2026-10-01')).toEqual({ kind: 'months', year: 2027, months: 1 });
    expect(defaultPeriod('2026-09-30')).toEqual({ kind: 'months', year: 2026, months: 12 });
    expect(periodEnd({ kind: 'year', year: 2025 })).toBe('2025-09-30');
    expect(periodEnd({ kind: 'months', year: 2025, months: 6 })).toBe('2025-03-31');
    expect(periodEnd({ kind: 'months', year: 2024, months: 5 })).toBe('2024-02-29');
    expect(periodEnd({ kind: 'quarter', year: 2025, quarter: 1 })).toBe('2024-12-31');
    expect(periodEnd({ kind: 'range', fromMonth: '2025-07', toMonth: '2026-02' })).toBe('2026-02-28');
    expect(toPeriodInput({ kind: 'quarter', year: 2025, quarter: 2 })).toEqual({ year: 2025, quarter: 2 });
    expect(toPeriodInput({ kind: 'range', fromMonth: '2025-07', toMonth: '2025-12' })).toEqual({ fromMonth: '2025-07', toMonth: '2025-12' });
    expect(previousYear({ kind: 'months', year: 2027, months: 3 })).toEqual({ kind: 'months', year: 2026, months: 3 });
    expect(previousYear({ kind: 'range', fromMonth: '2025-07', toMonth: '2026-02' })).toEqual({ kind: 'range', fromMonth: '2024-07', toMonth: '2025-02' });
    // Vietnam is UTC+7: 18:00 UTC on 31 December is already 1 January there.
    expect(todayInVietnam(new Date('2026-12-31T18:00:00Z'))).toBe('2027-01-01');
  });

  it('writes CSV with a byte order mark, quoted fields and CRLF', () => {
    expect(
      toCsv([
        ['Tỉnh, thành phố', 'Việc'],
        ['Hà Nội', '12'],
        ['say "x"', ''],
      ]),
    ).toBe('\ufeff"Tỉnh, thành phố",Việc\r\nHà Nội,12\r\n"say ""x""",\r\n');
  });
});
