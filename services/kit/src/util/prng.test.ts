import { Prng, seedFrom } from './prng';

describe('Prng', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const a = new Prng(seedFrom('x'));
    const b = new Prng(seedFrom('x'));
    const c = new Prng(seedFrom('y'));
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(seqA);
  });

  it('keeps int() within its bounds', () => {
    const r = new Prng(1);
    const values = Array.from({ length: 1000 }, () => r.int(3, 7));
    expect(Math.min(...values)).toBe(3);
    expect(Math.max(...values)).toBe(7);
  });
});
