import pino from 'pino';
import { LiveRegistry } from './live-registry';
import { LiveMetrics } from './metrics';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const QUERY = 'query ($id: ID!) { liveUnit: unit(id: $id) { id caseStats { done } } }';
const identity = { subject: 't', role: 'ministry' as const, units: [], families: [] };
const silent = pino({ level: 'silent' });
const spec = (id: number) => ({ key: `k${id}`, group: 'g', query: QUERY, variables: { id: String(id) }, identity, roots: [id] });

describe('live registry windows', () => {
  it('starts refreshes a window apart from their starts (a slow refresh does not lengthen the cycle) and publishes at most one value a window', async () => {
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
    registry.watch(spec(7));
    await sleep(20); // the first refresh is under way
    done = 1;
    registry.onChange({ kind: 'units', unitIds: new Set([7]) });
    await sleep(500);
    registry.close();

    expect(got.map((g) => JSON.parse(g.value).data.liveUnit.caseStats.done)).toEqual([0, 1]);
    // The second refresh started one window after the first started, not after it ended.
    expect(starts).toHaveLength(2);
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(WINDOW - 5);
    expect(starts[1]! - starts[0]!).toBeLessThan(WINDOW + 100);
    // And the second value waited for the window since the first one (at ~150 ms), not less.
    expect(got[1]!.at - got[0]!.at).toBeGreaterThanOrEqual(WINDOW - 5);
  });

  it('drops the late value of a live query unwatched and watched again during its refresh (the new one keeps its own)', async () => {
    const WINDOW = 50;
    let calls = 0;
    // The first refresh is slow and sees the old count; the second (of the query watched again) is quick and sees the new one.
    const execute = async () => {
      const value = calls++ === 0 ? 'old' : 'new';
      await sleep(value === 'old' ? 120 : 5);
      return { data: { liveUnit: { id: '7', caseStats: { done: value } } } };
    };
    const got: string[] = [];
    const metrics = new LiveMetrics();
    const registry = new LiveRegistry(execute, WINDOW, metrics, silent, (_key, value) => got.push(JSON.parse(value).data.liveUnit.caseStats.done));
    registry.watch(spec(7));
    await sleep(20); // the first refresh is under way
    registry.unwatch('k7'); // the dashboard reloads: its last subscriber leaves…
    registry.watch(spec(7)); // …and comes back at once
    await sleep(200); // both refreshes have ended, the slow one last
    registry.close();
    expect(got).toEqual(['new']);
    expect(calls).toBe(2); // the old query, no longer watched, was not refreshed again
  });

  it('refreshes a quiet query at once on a change', async () => {
    const WINDOW = 200;
    const starts: number[] = [];
    const execute = async () => {
      starts.push(Date.now());
      return { data: { liveUnit: { id: '7', caseStats: { done: starts.length } } } };
    };
    const registry = new LiveRegistry(execute, WINDOW, new LiveMetrics(), silent, () => {});
    registry.watch(spec(7));
    await sleep(WINDOW + 50); // quiet for more than a window
    const changed = Date.now();
    registry.onChange({ kind: 'units', unitIds: new Set([7]) });
    await sleep(60);
    registry.close();
    expect(starts).toHaveLength(2);
    expect(starts[1]! - changed).toBeLessThan(40);
  });

  it('asks a first value, and one after a change it did not hear one by one, to include every commit; one after a heard change, only what was heard', async () => {
    const WINDOW = 50;
    const fresh: boolean[] = [];
    let failNext = false;
    const execute = async (_q: string, _v: Record<string, unknown>, _i: unknown, isFresh: boolean) => {
      fresh.push(isFresh);
      if (failNext) {
        failNext = false;
        throw new Error('subgraph down');
      }
      return { data: { liveUnit: { id: '7', caseStats: { done: fresh.length } } } };
    };
    const registry = new LiveRegistry(execute, WINDOW, new LiveMetrics(), silent, () => {});
    registry.watch(spec(7));
    await sleep(WINDOW + 20);
    registry.onChange({ kind: 'units', unitIds: new Set([7]) });
    await sleep(WINDOW + 20);
    registry.onChange({ kind: 'all', reason: 'reconnected' });
    await sleep(WINDOW + 20);
    // A failed fresh refresh stays fresh when it is tried again.
    failNext = true;
    registry.onChange({ kind: 'all', reason: 'reconnected' });
    await sleep(2 * WINDOW + 40);
    registry.close();
    expect(fresh).toEqual([true, false, true, true, true]);
  });

  it('asks a query already waiting for its window when a change it did not hear comes to include every commit', async () => {
    const WINDOW = 100;
    const fresh: boolean[] = [];
    const execute = async (_q: string, _v: Record<string, unknown>, _i: unknown, isFresh: boolean) => {
      fresh.push(isFresh);
      return { data: { liveUnit: { id: '7', caseStats: { done: fresh.length } } } };
    };
    const registry = new LiveRegistry(execute, WINDOW, new LiveMetrics(), silent, () => {});
    registry.watch(spec(7));
    await sleep(20); // the first refresh ran: the next waits for the window
    registry.onChange({ kind: 'units', unitIds: new Set([7]) });
    registry.onChange({ kind: 'all', reason: 'reconnected' });
    await sleep(WINDOW + 40);
    registry.close();
    expect(fresh).toEqual([true, true]);
  });

  it('merges the dirty queries of one group that come due together into one operation, and keeps them in step', async () => {
    const WINDOW = 100;
    const operations: number[] = []; // members per operation
    let done = 0;
    const execute = async (query: string, variables: Record<string, unknown>) => {
      const ids = Object.entries(variables)
        .filter(([name]) => name.startsWith('id'))
        .map(([, id]) => String(id));
      operations.push(ids.length);
      const data = /_0_/.test(query)
        ? Object.fromEntries(ids.map((id, i) => [`_${i}_liveUnit`, { id, caseStats: { done } }]))
        : { liveUnit: { id: ids[0], caseStats: { done } } };
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
    // The eight refresh together, in one operation a window.
    expect(operations.every((n) => n === 8)).toBe(true);
    // No query's subscribers got two values less than a window apart.
    for (const times of published.values()) for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(WINDOW - 5);
  });
});
