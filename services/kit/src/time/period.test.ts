import { previousYear, resolvePeriod, seriesPeriods, statisticalYearOf } from './period';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as { extensions?: { code?: string } }).extensions?.code;
  }
  return undefined;
};

describe('resolvePeriod', () => {
  it('reads a statistical year as 1 October to 30 September', () => {
    expect(resolvePeriod({ year: 2025 })).toMatchObject({ start: '2024-10-01', end: '2025-09-30', firstMonth: '2024-10-01', lastMonth: '2025-09-01' });
  });

  it('reads the first six months as 1 October to 31 March', () => {
    expect(resolvePeriod({ year: 2025, months: 6 })).toMatchObject({ start: '2024-10-01', end: '2025-03-31' });
  });

  it('ends a cumulative period on the last day of February in a leap year', () => {
    expect(resolvePeriod({ year: 2024, months: 5 }).end).toBe('2024-02-29');
    expect(resolvePeriod({ year: 2025, months: 5 }).end).toBe('2025-02-28');
  });

  it('reads quarters of the statistical year', () => {
    expect(resolvePeriod({ year: 2025, quarter: 1 })).toMatchObject({ start: '2024-10-01', end: '2024-12-31' });
    expect(resolvePeriod({ year: 2025, quarter: 4 })).toMatchObject({ start: '2025-07-01', end: '2025-09-30' });
  });

  it('reads any range of whole months', () => {
    expect(resolvePeriod({ fromMonth: '2024-11', toMonth: '2025-01' })).toMatchObject({ start: '2024-11-01', end: '2025-01-31', lastMonth: '2025-01-01' });
  });

  it('refuses malformed and inconsistent periods with INVALID_PERIOD', () => {
    expect(codeOf(() => resolvePeriod({}))).toBe('INVALID_PERIOD');
    expect(codeOf(() => resolvePeriod({ year: 2025, months: 13 }))).toBe('INVALID_PERIOD');
    expect(codeOf(() => resolvePeriod({ year: 2025, months: 3, quarter: 1 }))).toBe('INVALID_PERIOD');
    expect(codeOf(() => resolvePeriod({ fromMonth: '2025-13', toMonth: '2025-12' }))).toBe('INVALID_PERIOD');
    expect(codeOf(() => resolvePeriod({ fromMonth: '2025-03', toMonth: '2025-01' }))).toBe('INVALID_PERIOD');
    expect(codeOf(() => resolvePeriod({ year: 2025, fromMonth: '2025-01', toMonth: '2025-02' }))).toBe('INVALID_PERIOD');
    expect(codeOf(() => resolvePeriod({ year: 2025.5 }))).toBe('INVALID_PERIOD');
  });

  it('takes month ranges inside the statistical years 1990 to 2100 only, as it takes years', () => {
    expect(resolvePeriod({ fromMonth: '1989-10', toMonth: '2100-09' })).toMatchObject({ start: '1989-10-01', end: '2100-09-30' });
    for (const [fromMonth, toMonth] of [
      ['0000-01', '0000-03'],
      ['1989-09', '1990-01'],
      ['2025-01', '2100-10'],
      ['9999-01', '9999-12'],
    ])
      expect(codeOf(() => resolvePeriod({ fromMonth, toMonth }))).toBe('INVALID_PERIOD');
    expect(codeOf(() => seriesPeriods('0000-01', '0000-02', 'MONTH', false))).toBe('INVALID_PERIOD');
  });
});

describe('previousYear', () => {
  it('shifts the period back one year, keeping the month-end right', () => {
    const p = previousYear(resolvePeriod({ year: 2025, months: 5 }));
    expect(p).toMatchObject({ start: '2023-10-01', end: '2024-02-29', firstMonth: '2023-10-01', lastMonth: '2024-02-01' });
  });

  it('writes the year before the first one with four digits', () => {
    expect(previousYear(resolvePeriod({ fromMonth: '1989-10', toMonth: '1989-12' }))).toMatchObject({ start: '1988-10-01', end: '1988-12-31' });
  });
});

describe('statisticalYearOf', () => {
  it('puts October to December in the next year', () => {
    expect(statisticalYearOf('2024-10-01')).toBe(2025);
    expect(statisticalYearOf('2025-09-30')).toBe(2025);
    expect(statisticalYearOf('2025-01-15')).toBe(2025);
  });
});
