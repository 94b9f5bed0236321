import { Prng, seedFrom } from '../util/prng';
import { CaseCategory, type CaseOutcome, type DemoCase, type DemoLeaf, type DemoPetition, type DemoReception } from './demo-case';

export interface DemoOptions {
  /** Cases received in the three years up to `until`; a backlog of a fifth more from the year before comes on top. */
  cases: number;
  /** Leaf units (districts before the reorganization, wards after). */
  leaves: DemoLeaf[];
  /**
   * The last day generated: nothing happens after it. The CLI seeds up to today, so that the
   * demo shows the current year; tests fix a date so that their data never changes.
   * @default '2025-09-30', the end of statistical year 2025
   */
  until?: string;
  seed?: string;
}

const DAY_MS = 86400000;

function dayNumber(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The window generated: three years up to `until` (received cases), the year before (backlog). */
export function demoRange(until = '2025-09-30') {
  const end = dayNumber(until);
  const yearsBefore = (years: number) => {
    const d = new Date((end + 1) * DAY_MS);
    d.setUTCFullYear(d.getUTCFullYear() - years);
    return d.toISOString().slice(0, 10);
  };
  return { backlogStart: yearsBefore(4), start: yearsBefore(3), end: until };
}

class LeafPicker {
  private readonly groups: { from: number; to: number; ids: number[] }[] = [];

  constructor(leaves: DemoLeaf[]) {
    const byInterval = new Map<string, { from: number; to: number; ids: number[] }>();
    for (const l of leaves) {
      const key = `${l.validFrom}|${l.validTo}`;
      const g = byInterval.get(key) ?? { from: dayNumber(l.validFrom), to: l.validTo ? dayNumber(l.validTo) : Infinity, ids: [] };
      g.ids.push(l.id);
      byInterval.set(key, g);
    }
    this.groups = [...byInterval.values()];
  }

  pick(rng: Prng, day: number): number {
    const valid = this.groups.filter((g) => g.from <= day && day < g.to);
    if (valid.length === 0) throw new Error(`demo data: no leaf unit is valid on ${dateOf(day)}`);
    const total = valid.reduce((s, g) => s + g.ids.length, 0);
    let i = Math.floor(rng.next() * total);
    for (const g of valid) {
      if (i < g.ids.length) return g.ids[i]!;
      i -= g.ids.length;
    }
    return valid[0]!.ids[0]!;
  }
}

/** A money amount in VND: mostly millions to hundreds of millions, a few in billions. */
function amountFor(rng: Prng, categories: number): bigint {
  if (rng.chance(0.08)) return 0n;
  const exponent = 6.5 + rng.next() * 2.5 + (categories & CaseCategory.CORRUPTION_ECONOMIC ? 1.5 : 0) + (rng.chance(0.02) ? 1.5 : 0);
  return BigInt(Math.round(10 ** exponent / 1000)) * 1000n;
}

function split(rng: Prng, amount: bigint, parts: number): bigint[] {
  const out: bigint[] = [];
  let left = amount;
  for (let i = parts - 1; i > 0; i--) {
    const share = ((left * BigInt(Math.floor(rng.next() * 600) + 200)) / 1000n / 1000n) * 1000n;
    out.push(share);
    left -= share;
  }
  out.push(left);
  return out.filter((a) => a > 0n);
}

/**
 * Deterministic demo cases, yielded in chunks so that a million never sit in memory at
 * once. The same options give the same cases, ids and amounts on every machine.
 */
export function* generateDemoCases(options: DemoOptions, chunkSize = 10000): Generator<DemoCase[]> {
  const range = demoRange(options.until);
  const first = dayNumber(range.backlogStart);
  const start = dayNumber(range.start);
  const last = dayNumber(range.end);
  const backlog = Math.round(options.cases * 0.2);
  const total = options.cases + backlog;
  const picker = new LeafPicker(options.leaves);
  const rng = new Prng(seedFrom(`cases:${options.seed ?? 'demo'}`));
  let chunk: DemoCase[] = [];
  for (let i = 0; i < total; i++) {
    const day = i < backlog ? first + Math.floor(rng.next() * (start - first)) : start + Math.floor(rng.next() * (last - start + 1));
    chunk.push(oneCase(rng, i + 1, day, last, picker));
    if (chunk.length === chunkSize) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length) yield chunk;
}

/** Total number of cases `generateDemoCases` yields for these options. */
export function demoCaseTotal(cases: number): number {
  return cases + Math.round(cases * 0.2);
}

function oneCase(rng: Prng, id: number, day: number, last: number, picker: LeafPicker): DemoCase {
  const unitId = picker.pick(rng, day);
  let categories = 0;
  if (rng.chance(0.22)) categories |= CaseCategory.STATE_BUDGET;
  if (rng.chance(0.08)) categories |= CaseCategory.CREDIT_INSTITUTION;
  if (rng.chance(0.03)) categories |= CaseCategory.CORRUPTION_ECONOMIC;
  const amount = amountFor(rng, categories);
  const receivedOn = dateOf(day);
  const c: DemoCase = {
    id,
    unitId,
    judgmentRef: `${String(rng.int(1, 999)).padStart(3, '0')}/${new Date(day * DAY_MS).getUTCFullYear()}/DS-ST`,
    receivedOn,
    categories,
    amount,
    classifications: [],
    pauses: [],
    collections: [],
    outcome: null,
  };
  const within = (d: number) => (d <= last ? d : null);
  const classifyOn = day + rng.int(3, 30);
  const classifiedDay = within(classifyOn);
  let enforceable = rng.chance(0.78);
  // Leaving: entrusted or withdrawn early, or done after a while if enforceable.
  const r = rng.next();
  let outcome: { day: number; kind: CaseOutcome } | null = null;
  if (r < 0.03) outcome = { day: day + rng.int(5, 60), kind: 'ENTRUSTED_OUT' };
  else if (r < 0.04) outcome = { day: day + rng.int(5, 90), kind: 'WITHDRAWN' };
  else if (!enforceable && r < 0.3) outcome = { day: day + rng.int(60, 400), kind: 'SEPARATE_BOOK' };
  else if (enforceable && r < 0.95)
    outcome = { day: classifyOn + Math.round(-Math.log(1 - rng.next()) * 50) + 3, kind: rng.chance(0.08) ? 'TERMINATED' : 'COMPLETED' };
  if (
    classifiedDay !== null &&
    (!outcome || outcome.day > classifiedDay || outcome.kind === 'COMPLETED' || outcome.kind === 'TERMINATED' || outcome.kind === 'SEPARATE_BOOK')
  ) {
    c.classifications.push({ on: dateOf(classifiedDay), enforceable });
    // A few cases change classification once, later.
    const flipDay = within(classifiedDay + rng.int(30, 300));
    if (flipDay !== null && rng.chance(0.06) && (!outcome || outcome.day > flipDay) && outcome?.kind !== 'COMPLETED' && outcome?.kind !== 'TERMINATED') {
      enforceable = !enforceable;
      c.classifications.push({ on: dateOf(flipDay), enforceable });
      if (!enforceable && outcome?.kind === 'SEPARATE_BOOK') outcome = null;
    }
  }
  if (outcome && (outcome.kind === 'COMPLETED' || outcome.kind === 'TERMINATED')) {
    // Done only while enforceable and after classification.
    const lastClass = c.classifications.at(-1);
    if (!lastClass || !lastClass.enforceable || dayNumber(lastClass.on) >= outcome.day) outcome = null;
  }
  if (outcome && outcome.kind === 'SEPARATE_BOOK') {
    const lastClass = c.classifications.at(-1);
    if (!lastClass || lastClass.enforceable || dayNumber(lastClass.on) >= outcome.day) outcome = null;
  }
  if (outcome && outcome.day <= last) c.outcome = { on: dateOf(outcome.day), kind: outcome.kind };

  const enforceableNow = c.classifications.at(-1)?.enforceable ?? false;
  if (amount > 0n && enforceableNow) {
    const classDay = dayNumber(c.classifications.at(-1)!.on);
    if (c.outcome?.kind === 'COMPLETED') {
      const end = dayNumber(c.outcome.on);
      const parts = split(rng, amount, rng.int(1, 3));
      parts.forEach((p, k) =>
        c.collections.push({
          on: k === parts.length - 1 ? c.outcome!.on : dateOf(classDay + Math.floor(((end - classDay) * (k + 1)) / (parts.length + 1))),
          amount: p,
        }),
      );
    } else if (!c.outcome || c.outcome.kind === 'TERMINATED') {
      if (rng.chance(0.4)) {
        const d = within(classDay + rng.int(10, 200));
        const end = c.outcome ? dayNumber(c.outcome.on) : last + 1;
        if (d !== null && d < end) c.collections.push({ on: dateOf(d), amount: ((amount * BigInt(rng.int(10, 70))) / 100n / 1000n) * 1000n });
      }
    }
  }
  if (!c.outcome || c.outcome.kind === 'COMPLETED') {
    const pauseDay = within(day + rng.int(40, 200));
    if (pauseDay !== null && rng.chance(0.05) && (!c.outcome || dayNumber(c.outcome.on) > pauseDay)) {
      c.pauses.push({ on: dateOf(pauseDay), kind: rng.chance(0.6) ? 'POSTPONED' : 'SUSPENDED' });
    }
  }
  c.collections = c.collections.filter((x) => x.amount > 0n);
  return c;
}

/** Petitions and citizen receptions, about one petition for every ten cases. */
export function generateDemoComplaints(options: DemoOptions): { petitions: DemoPetition[]; receptions: DemoReception[] } {
  const range = demoRange(options.until);
  const first = dayNumber(range.backlogStart);
  const last = dayNumber(range.end);
  const picker = new LeafPicker(options.leaves);
  const rng = new Prng(seedFrom(`complaints:${options.seed ?? 'demo'}`));
  const kinds: DemoPetition['kind'][] = ['COMPLAINT', 'COMPLAINT', 'COMPLAINT', 'DENUNCIATION', 'REQUEST', 'RECOMMENDATION'];
  const petitions: DemoPetition[] = [];
  const count = Math.max(1, Math.round(demoCaseTotal(options.cases) / 10));
  for (let i = 0; i < count; i++) {
    const day = first + Math.floor(rng.next() * (last - first + 1));
    const resolvedDay = rng.chance(0.88) ? day + rng.int(5, 75) : null;
    petitions.push({
      id: i + 1,
      unitId: picker.pick(rng, day),
      kind: rng.pick(kinds),
      receivedOn: dateOf(day),
      resolvedOn: resolvedDay !== null && resolvedDay <= last ? dateOf(resolvedDay) : null,
    });
  }
  const receptions: DemoReception[] = [];
  const receptionCount = Math.max(1, Math.round(count * 0.6));
  for (let i = 0; i < receptionCount; i++) {
    const day = first + Math.floor(rng.next() * (last - first + 1));
    receptions.push({ id: i + 1, unitId: picker.pick(rng, day), receivedOn: dateOf(day), citizens: rng.int(1, 6) });
  }
  return { petitions, receptions };
}
