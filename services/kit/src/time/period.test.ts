import { previousYear, resolvePeriod, statisticalYearOf } from './period';

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
});

describe('previousYear', () => {
  it('shifts the period back one year, keeping the month-end right', () => {
    const p = previousYear(resolvePeriod({ year: 2025, months: 5 }));
    expect(p).toMatchObject({ start: '2023-10-01', end: '2024-02-29', firstMonth: '2023-10-01', lastMonth: '2024-02-01' });
  });
});

describe('statisticalYearOf', () => {
  it('puts October to December in the next year', () => {
    expect(statisticalYearOf('2024-10-01')).toBe(2025);
    expect(statisticalYearOf('2025-09-30')).toBe(2025);
    expect(statisticalYearOf('2025-01-15')).toBe(2025);
  });
});
