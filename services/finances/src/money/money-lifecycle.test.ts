import { applyMoneyEvent, type MoneyEventKind, type MoneyState } from './money-lifecycle';

function run(events: [MoneyEventKind, bigint?][]) {
  let state: MoneyState | null = null;
  const sums = { flow: 0n, open: 0n, openEnforceable: 0n };
  for (const [kind, amount] of events) {
    const r = applyMoneyEvent(state, kind, amount);
    state = r.state;
    sums.flow += r.deltas.flow;
    sums.open += r.deltas.open;
    sums.openEnforceable += r.deltas.openEnforceable;
  }
  return { state, ...sums };
}

describe('applyMoneyEvent', () => {
  it('lowers what remains with each collection and closes the rest as done', () => {
    const r = run([['RECEIVED', 1_000_000n], ['CLASSIFIED_ENFORCEABLE'], ['COLLECTED', 300_000n], ['COMPLETED']]);
    expect(r.state).toEqual({ open: false, remaining: 0n, enforceable: true });
    expect(r.open).toBe(0n);
    expect(r.openEnforceable).toBe(0n);
  });

  it('moves only what remains when a case is reclassified', () => {
    const r = run([['RECEIVED', 1_000_000n], ['CLASSIFIED_ENFORCEABLE'], ['COLLECTED', 400_000n], ['CLASSIFIED_NOT_ENFORCEABLE']]);
    expect(r.open).toBe(600_000n);
    expect(r.openEnforceable).toBe(0n);
  });

  it('keeps amounts exact far past 2^53', () => {
    const big = 9_007_199_254_740_993_000n;
    const r = run([['RECEIVED', big], ['CLASSIFIED_ENFORCEABLE'], ['COLLECTED', 1n]]);
    expect(r.state!.remaining).toBe(big - 1n);
  });

  it.each<[string, [MoneyEventKind, bigint?][], string]>([
    ['a negative amount', [['RECEIVED', -5n]], 'NEGATIVE_AMOUNT'],
    [
      'a zero collection',
      [
        ['RECEIVED', 10n],
        ['COLLECTED', 0n],
      ],
      'NON_POSITIVE_AMOUNT',
    ],
    [
      'collecting more than remains',
      [
        ['RECEIVED', 10n],
        ['COLLECTED', 11n],
      ],
      'OVER_COLLECTION',
    ],
    ['collecting on a withdrawn case', [['RECEIVED', 10n], ['WITHDRAWN'], ['COLLECTED', 1n]], 'IMPOSSIBLE_TRANSITION'],
  ])('refuses %s', (_label, events, reason) => {
    expect(() => run(events)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', reason }) }));
  });
});
