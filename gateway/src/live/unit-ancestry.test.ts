import { UnitAncestry, ancestryOn } from './unit-ancestry';

/** A fake edge table: ward 30 in province 3 in the nation 1; its queries counted. */
function edges() {
  const calls: string[] = [];
  let release: () => void = () => {};
  let gate = Promise.resolve();
  return {
    calls,
    /** Holds the next whole-table reads until `open()`. */
    hold: () => (gate = new Promise<void>((resolve) => (release = resolve))),
    open: () => release(),
    query: async (text: string, _values: unknown[]) => {
      calls.push(text.includes('WHERE') ? 'one' : 'all');
      await gate;
      return { rows: [{ descendant_id: 30, ids: [1, 3, 30] }] };
    },
  };
}

describe('unit ancestry', () => {
  it('reads the edges when warmed, so that the first change waits for no read of its own', async () => {
    const table = edges();
    const ancestry = new UnitAncestry(table.query);
    ancestry.warm();
    await new Promise((resolve) => setImmediate(resolve));
    expect(table.calls).toEqual(['all']);
    expect([...(await ancestry.of([30]))].sort((a, b) => a - b)).toEqual([1, 3, 30]);
    expect(table.calls).toEqual(['all']); // answered from memory
  });

  it('a change during the warm-up waits for that one read, not a second', async () => {
    const table = edges();
    void table.hold();
    const ancestry = new UnitAncestry(table.query);
    ancestry.warm();
    const answer = ancestry.of([30]);
    table.open();
    expect([...(await answer)].sort((a, b) => a - b)).toEqual([1, 3, 30]);
    expect(table.calls).toEqual(['all']);
  });

  it('reads the edges again at once when told the hierarchy was rebuilt', async () => {
    const table = edges();
    const ancestry = new UnitAncestry(table.query);
    await ancestry.of([30]);
    ancestry.forget();
    await new Promise((resolve) => setImmediate(resolve));
    expect(table.calls).toEqual(['all', 'all']);
  });

  it('does not keep a read that was under way when the hierarchy was rebuilt', async () => {
    // The first read sees the old hierarchy (ward 30 in province 3), held until after the rebuild; the next, the new one (province 4).
    const reads: (() => void)[] = [];
    const query = (_text: string, _values: unknown[]) =>
      new Promise<{ rows: unknown[] }>((resolve) => {
        const province = reads.length === 0 ? 3 : 4;
        reads.push(() => resolve({ rows: [{ descendant_id: 30, ids: [1, province, 30] }] }));
      });
    const ancestry = new UnitAncestry(query);
    ancestry.warm();
    await new Promise((resolve) => setImmediate(resolve));
    ancestry.forget(); // the rebuild is heard while the first read is under way
    await new Promise((resolve) => setImmediate(resolve));
    expect(reads).toHaveLength(2);
    reads[1]!();
    reads[0]!(); // the old read ends last
    expect([...(await ancestry.of([30]))].sort((a, b) => a - b)).toEqual([1, 4, 30]);
  });

  it('is one map a notices connection', () => {
    const a = { query: edges().query };
    const b = { query: edges().query };
    expect(ancestryOn(a)).toBe(ancestryOn(a));
    expect(ancestryOn(a)).not.toBe(ancestryOn(b));
  });
});
