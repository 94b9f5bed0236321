import type { GatewayGraphQLRequest, GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { ChangeLog } from './change-log';
import { FetchCache } from './fetch-cache';

const ENTITIES = 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on OrgUnit { caseStats { done } } } }';
const entitiesOf = (ids: number[]): GatewayGraphQLRequest => ({
  query: ENTITIES,
  variables: { representations: ids.map((id) => ({ __typename: 'OrgUnit', id: String(id) })) },
});
/** A subgraph answering each unit with ~100 bytes of figures; its calls counted. */
function subgraph() {
  const calls: string[] = [];
  const send = async (request: GatewayGraphQLRequest): Promise<GatewayGraphQLResponse> => {
    const reps = request.variables?.representations as { id: string }[] | undefined;
    calls.push(reps ? `entities:${reps.length}` : 'root');
    if (reps) return { data: { _entities: reps.map((r) => ({ caseStats: { done: Number(r.id), note: 'x'.repeat(80) } })) } };
    return { data: { ministry: { name: 'Bộ Tư pháp' } } };
  };
  return { calls, send };
}

describe('fetch cache memory', () => {
  it('keeps serving from memory after a group larger than its budget was dropped while it was filled', async () => {
    const cache = new FetchCache(2000, new ChangeLog());
    const { calls, send } = subgraph();
    // 40 units of ~170 bytes each: more than the whole budget, dropped as soon as it is counted.
    await cache.fetch('cases', entitiesOf(Array.from({ length: 40 }, (_v, i) => i + 1)), 'ministry', send);
    const root: GatewayGraphQLRequest = { query: '{ ministry { name } }', variables: {} };
    await cache.fetch('org-units', root, 'ministry', send);
    await cache.fetch('org-units', root, 'ministry', send);
    expect(calls).toEqual(['entities:40', 'root']); // the second root fetch came from memory
    expect(cache.stats.rootHits).toBe(1);
  });

  it('keeps the units a change did not touch, and fetches again only the one it did', async () => {
    const log = new ChangeLog();
    const cache = new FetchCache(1_000_000, log);
    const { calls, send } = subgraph();
    await cache.fetch('cases', entitiesOf([1, 2, 3]), 'ministry', send);
    const change = { subgraph: 'cases', units: new Set([2]), from: '2025-01-01' };
    log.record(change);
    cache.invalidate(change);
    const again = await cache.fetch('cases', entitiesOf([1, 2, 3]), 'ministry', send);
    expect(calls).toEqual(['entities:3', 'entities:1']);
    expect((again.data as { _entities: { caseStats: { done: number } }[] })._entities.map((e) => e.caseStats.done)).toEqual([1, 2, 3]);
  });

  it('counts a root fetch once when two misses of it end together', async () => {
    const cache = new FetchCache(1_000_000, new ChangeLog());
    const { send } = subgraph();
    const root: GatewayGraphQLRequest = { query: '{ ministry { name } }', variables: {} };
    await Promise.all([cache.fetch('org-units', root, 'ministry', send), cache.fetch('org-units', root, 'ministry', send)]);
    const once = new FetchCache(1_000_000, new ChangeLog());
    await once.fetch('org-units', root, 'ministry', send);
    expect((cache as unknown as { bytes: number }).bytes).toBe((once as unknown as { bytes: number }).bytes);
  });
});
