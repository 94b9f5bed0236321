import { percent } from './rate';

describe('percent', () => {
  it('reproduces the worked example of docs/domain.md: 289 ÷ 327 = 88.38%', () => {
    expect(percent(289, 327)).toBe(88.38);
  });

  it('reproduces the published national rates', () => {
    expect(percent(620657, 739974)).toBe(83.88);
    expect(percent(577876, 685898)).toBe(84.25);
    expect(percent(576933, 708674)).toBe(81.41);
  });

  it('rounds half up on exact integers, not floats', () => {
    expect(percent(1, 8)).toBe(12.5);
    expect(percent(1, 800)).toBe(0.13); // 0.125 → 0.13
    expect(percent(2, 3)).toBe(66.67);
  });

  it('works on VND sums past 2^53', () => {
    expect(percent(116_531_000_000_000_000n, 224_775_000_000_000_000n)).toBe(51.84);
  });

  it('is null when the denominator is zero', () => {
    expect(percent(0, 0)).toBeNull();
  });
});
