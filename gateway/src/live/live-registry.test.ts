import { parse } from 'graphql';
import pino from 'pino';
import { LiveRegistry } from './live-registry';
import { LiveMetrics } from './metrics';
import type { SocketSubscriber } from './socket-subscriber';

/** A subscriber that records when each value (the serialized result) reached it. */
function recorder(): SocketSubscriber & { got: { at: number; value: string }[] } {
  const got: { at: number; value: string }[] = [];
  return { got, push: (value: string) => got.push({ at: Date.now(), value }), onClose: () => {}, close: () => {} } as unknown as SocketSubscriber & { got: typeof got };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const DOC = parse('subscription($id: ID!) { liveUnit(id: $id) { id caseStats { done } } }');
const identity = { subject: 't', role: 'ministry' as const, units: [], families: [] };

describe('live registry windows', () => {
  it('starts refreshes a window apart from their starts (a slow refresh does not lengthen the cycle) and sends at most one value a window', async () => {
    const WINDOW = 200;
    let done = 0;
    const starts: number[] = [];
    // The first refresh is slow (150 ms), the later ones quick (10 ms); each sees the current count.
    const execute = async () => {
      starts.push(Date.now());
      const value = done;
      await sleep(starts.length === 1 ? 150 : 10);
      return { data: { liveUnit: { id: '7', caseStats: { done: value } } } };
    };
    const registry = new LiveRegistry(execute, WINDOW, new LiveMetrics(), pino({ level: 'silent' }));
    const sink = registry.subscribe(DOC, { id: '7' }, identity, recorder()) as ReturnType<typeof recorder>;
    await sleep(20); // the first refresh is under way
    done = 1;
    registry.onChange({ kind: 'units', unitIds: new Set([7]) });
    await sleep(500);
    registry.close();

    expect(sink.got.map((g) => JSON.parse(g.value).data.liveUnit.caseStats.done)).toEqual([0, 1]);
    // The second refresh started one window after the first started, not after it ended.
    expect(starts).toHaveLength(2);
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(WINDOW - 5);
    expect(starts[1]! - starts[0]!).toBeLessThan(WINDOW + 100);
    // And the second value waited for the window since the first one (at ~150 ms), not less.
    expect(sink.got[1]!.at - sink.got[0]!.at).toBeGreaterThanOrEqual(WINDOW - 5);
  });
});
