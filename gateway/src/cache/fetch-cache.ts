import { createHash } from 'node:crypto';
import type { GatewayGraphQLRequest, GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { reaches, type CacheChange, type ChangeLog } from './change-log';
import { HIERARCHY_SUBGRAPH, entityUnits } from './dependencies';
import { lastDayRead } from './periods';

/** A root fetch's answer, kept as JSON text (each use parses its own copy: the executor merges into it). */
interface RootEntry {
  subgraph: string;
  /** The last day whose figures it read: later changes leave it as it is. */
  lastDay: string;
  text: string;
}

/** The entities one entity fetch (same document, variables and scope) has answered, by unit, as JSON text. */
interface EntityGroup {
  subgraph: string;
  lastDay: string;
  entities: Map<number, string>;
  bytes: number;
}

export interface FetchCacheStats {
  rootHits: number;
  entityHits: number;
  entityMisses: number;
}

/**
 * Subgraph answers kept below the whole-answer cache, so that recomputing an answer a change
 * touched costs only what the change touched: a root fetch is kept until its subgraph changes
 * (org-units' until the hierarchy does), an entity fetch is kept per unit, and a change of
 * units drops those units only. After a write to one ward, the 3,321 wards' figures are one
 * ward's fetch; a ranking of cases recomputes without asking finances or org-units again.
 * Only queries are kept, only answers without errors, only results no change has touched
 * since the fetch started.
 */
export class FetchCache {
  private readonly roots = new Map<string, RootEntry>();
  private readonly groups = new Map<string, EntityGroup>();
  private bytes = 0;
  /** Off while changes may be missed (see AnswerCache.setEnabled). */
  enabled = true;
  readonly stats: FetchCacheStats = { rootHits: 0, entityHits: 0, entityMisses: 0 };

  constructor(
    private readonly maxBytes: number,
    private readonly log: ChangeLog,
  ) {}

  /** A subgraph fetch, from what is kept where it can be, the rest sent with `send`. */
  async fetch(
    subgraph: string,
    request: GatewayGraphQLRequest,
    scope: string,
    send: (request: GatewayGraphQLRequest) => Promise<GatewayGraphQLResponse>,
  ): Promise<GatewayGraphQLResponse> {
    const query = request.query ?? '';
    if (!this.enabled || !/^\s*(query\b|\{)/.test(query)) return send(request);
    const { representations: _r, ...rest } = request.variables ?? {};
    const base = createHash('sha1')
      .update(`${subgraph}\n${scope}\n${query}\n${JSON.stringify(rest)}`)
      .digest('base64');
    const units = entityUnits(request.variables);
    if (request.variables?.representations !== undefined) return units ? this.entities(subgraph, base, units, request, send) : send(request);
    return this.root(subgraph, base, request, send);
  }

  invalidate(change: CacheChange): void {
    if (change === 'all') {
      this.roots.clear();
      this.groups.clear();
      this.bytes = 0;
      return;
    }
    for (const [key, entry] of this.roots) if (entry.subgraph === change.subgraph && reaches(change, entry.lastDay)) this.dropRoot(key);
    for (const [key, group] of this.groups) {
      if (group.subgraph !== change.subgraph || !reaches(change, group.lastDay)) continue;
      for (const id of change.units) {
        const text = group.entities.get(id);
        if (text === undefined) continue;
        group.entities.delete(id);
        group.bytes -= sizeOf(text);
        this.bytes -= sizeOf(text);
      }
      if (group.entities.size === 0) this.groups.delete(key);
    }
  }

  private async root(
    subgraph: string,
    key: string,
    request: GatewayGraphQLRequest,
    send: (request: GatewayGraphQLRequest) => Promise<GatewayGraphQLResponse>,
  ): Promise<GatewayGraphQLResponse> {
    const kept = this.roots.get(key);
    if (kept) {
      this.stats.rootHits++;
      return { data: JSON.parse(kept.text) as Record<string, unknown> };
    }
    const since = this.log.generation;
    const response = await send(request);
    const lastDay = lastDayRead(request.query ?? '', request.variables);
    const touched = (c: CacheChange) => c === 'all' || (subgraph !== HIERARCHY_SUBGRAPH && c.subgraph === subgraph && reaches(c, lastDay));
    if (!response.errors?.length && response.data && !this.log.changedBetween(since, this.log.generation, touched)) {
      const text = JSON.stringify(response.data);
      this.dropRoot(key); // two misses of one fetch at once: the second replaces the first, and its size too
      this.roots.set(key, { subgraph, lastDay, text });
      this.grow(sizeOf(text));
    }
    return response;
  }

  private async entities(
    subgraph: string,
    key: string,
    units: number[],
    request: GatewayGraphQLRequest,
    send: (request: GatewayGraphQLRequest) => Promise<GatewayGraphQLResponse>,
  ): Promise<GatewayGraphQLResponse> {
    const group = this.groups.get(key);
    // What is kept now: a change while the rest is fetched may drop it from the group, not from this answer.
    const kept = units.map((id) => group?.entities.get(id));
    const missing: number[] = [];
    for (let i = 0; i < units.length; i++) if (kept[i] === undefined) missing.push(i);
    this.stats.entityHits += units.length - missing.length;
    this.stats.entityMisses += missing.length;
    const representations = request.variables!.representations as unknown[];
    let fetched: unknown[] = [];
    if (missing.length) {
      const since = this.log.generation;
      const response = await send(
        missing.length === units.length
          ? request
          : { ...request, variables: { ...request.variables, representations: missing.map((i) => representations[i]) } },
      );
      const answered = (response.data as { _entities?: unknown[] } | undefined)?._entities;
      // Errors carry paths into the request as sent: answered as they are, nothing kept.
      if (response.errors?.length || !Array.isArray(answered) || answered.length !== missing.length)
        return missing.length === units.length ? response : send(request);
      fetched = answered;
      const changes = this.log.between(since, this.log.generation);
      const lastDay = lastDayRead(request.query ?? '', request.variables);
      const touched = changes === 'all' ? undefined : unitsTouched(changes, subgraph, lastDay);
      if (touched) {
        const into = this.groups.get(key) ?? { subgraph, lastDay, entities: new Map(), bytes: 0 };
        this.groups.set(key, into);
        let added = 0;
        missing.forEach((i, j) => {
          const id = units[i]!;
          if (touched.has(id) || touched.has(-1)) return;
          const text = JSON.stringify(answered[j] ?? null);
          const before = into.entities.get(id);
          into.entities.set(id, text);
          added += sizeOf(text) - (before === undefined ? 0 : sizeOf(before));
        });
        // Counted once the group holds them all: grow() may drop this very group, and then takes all of it off.
        into.bytes += added;
        this.grow(added);
      }
      if (missing.length === units.length) return response;
    }
    // Every entity in the order asked: kept ones as text, fetched ones as they came.
    const parts: string[] = [];
    let next = 0;
    for (let i = 0; i < units.length; i++) {
      if (missing[next] === i) parts.push(JSON.stringify(fetched[next++] ?? null));
      else parts.push(kept[i]!);
    }
    return { data: JSON.parse(`{"_entities":[${parts.join(',')}]}`) as Record<string, unknown> };
  }

  private grow(bytes: number): void {
    this.bytes += bytes;
    if (this.bytes <= this.maxBytes) return;
    // Over the budget: the oldest kept answers go first.
    for (const key of this.roots.keys()) {
      if (this.bytes <= this.maxBytes * 0.8) return;
      this.dropRoot(key);
    }
    for (const [key, group] of this.groups) {
      if (this.bytes <= this.maxBytes * 0.8) return;
      this.groups.delete(key);
      this.bytes -= group.bytes;
    }
  }

  private dropRoot(key: string): void {
    const entry = this.roots.get(key);
    if (!entry) return;
    this.roots.delete(key);
    this.bytes -= sizeOf(entry.text);
  }
}

/** What one kept text costs: its characters and the map entry holding it. */
function sizeOf(text: string): number {
  return text.length + 64;
}

/** The units of a subgraph whose figures up to `lastDay` these changes touched (-1 for all of them). */
function unitsTouched(changes: CacheChange[], subgraph: string, lastDay: string): Set<number> {
  const out = new Set<number>();
  for (const c of changes) {
    if (c === 'all') return new Set([-1]);
    if (c.subgraph === subgraph && reaches(c, lastDay)) for (const id of c.units) out.add(id);
  }
  return out;
}
