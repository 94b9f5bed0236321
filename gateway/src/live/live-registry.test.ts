import pino from 'pino';
import { LiveRegistry } from './live-registry';
import { LiveMetrics } from './metrics';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const QUERY = 'query ($id: ID!) { liveUnit: unit(id: $id) { id caseStats { done } } }';
const identity = { subject: 't', role: 'ministry' as const, units: [], families: [] };
const silent = pino({ level: 'silent' });
const spec = (id: number) => ({ key: `k${id}`, group: 'g', query: QUERY, variables: { id: String(id) }, identity, roots: [id] });

describe('live registry windows', () => {
  it('refreshes a new live query at once, then on ticks a window apart, and publishes at most one value a window', async () => {
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
    const got: { at: number; value: string }[] = [];
    const registry = new LiveRegistry(execute, WINDOW, new LiveMetrics(), silent, (key, value) => key === 'k7' && got.push({ at: Date.now(), value }));
    const watched = Date.now();
    registry.watch(spec(7));
    await sleep(20); // the first refresh is under way
    done = 1;
    registry.onChange({ kind: 'units', unitIds: new Set([7]) });
    await sleep(600);
    registry.close();

    expect(got.map((g) => JSON.parse(g.value).data.liveUnit.caseStats.done)).toEqual([0, 1]);
    expect(starts[0]! - watched).toBeLessThan(50); // the first value is due at once
    expect(starts).toHaveLength(2);
    // The second refresh ran on a tick of the query's phase (the first query of a group has phase 0: ticks on multiples of the window)...
    expect(starts[1]! % WINDOW).toBeLessThan(40);
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(WINDOW / 2);
    // ...and its value waited for the window since the first one, not less.
    expect(got[1]!.at - got[0]!.at).toBeGreaterThanOrEqual(WINDOW - 5);
  });

  it('merges the dirty queries of one group and phase into one operation, the group spread over a few phases', async () => {
    const WINDOW = 100;
    const operations: number[] = []; // members per operation
    let done = 0;
    const execute = async (query: string, variables: Record<string, unknown>) => {
      const ids = Object.entries(variables).filter(([name]) => name.startsWith('id')).map(([, id]) => String(id));
      operations.push(ids.length);
      const data = /_0_/.test(query) ? Object.fromEntries(ids.map((id, i) => [`_${i}_liveUnit`, { id, caseStats: { done } }])) : { liveUnit: { id: ids[0], caseStats: { done } } };
      return { data };
    };
    const published = new Map<string, number[]>();
    const metrics = new LiveMetrics();
    const registry = new LiveRegistry(execute, WINDOW, metrics, silent, (key) => published.set(key, [...(published.get(key) ?? []), Date.now()]));
    const ids = [1, 2, 3, 4, 5, 6, 7, 8];
    for (const id of ids) registry.watch(spec(id));
    // A change to every unit every 20 ms, for 1 s.
    for (let t = 0; t < 50; t++) {
      done++;
      registry.onChange({ kind: 'units', unitIds: new Set(ids) });
      await sleep(20);
    }
    await sleep(2 * WINDOW);
    registry.close();

    expect(metrics.executions).toBeGreaterThanOrEqual(8 * 8); // every query about once a window
    // Apart from the first refreshes, each operation carries the two queries of one phase (8 queries, 4 phases)...
    expect(operations.slice(-20).every((n) => n === 2)).toBe(true);
    expect(metrics.operations).toBeLessThanOrEqual(metrics.executions / 2 + 8);
    // ...and no query's subscribers got two values less than a window apart.
    for (const times of published.values()) for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(WINDOW - 5);
  });
});
