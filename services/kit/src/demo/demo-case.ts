/** A case as the demo generator invents it; each service takes the part it owns. */
export interface DemoCase {
  id: number;
  unitId: number;
  judgmentRef: string;
  receivedOn: string;
  /** Bitmask of CaseCategory flags. */
  categories: number;
  /** Amount to enforce, VND (0 for a case with no money obligation). */
  amount: bigint;
  /** Classification changes in date order: enforceable or not. */
  classifications: { on: string; enforceable: boolean }[];
  /** Postponements and temporary suspensions: the case stays open. */
  pauses: { on: string; kind: 'POSTPONED' | 'SUSPENDED' }[];
  /** Collections in date order. */
  collections: { on: string; amount: bigint }[];
  /** How the case left, if it did within the generated range. */
  outcome: { on: string; kind: CaseOutcome } | null;
}

export type CaseOutcome = 'COMPLETED' | 'TERMINATED' | 'ENTRUSTED_OUT' | 'WITHDRAWN' | 'SEPARATE_BOOK';

/** Category flags of a case; bucket numbers of the aggregate tables follow them. */
export const CaseCategory = {
  STATE_BUDGET: 1,
  CREDIT_INSTITUTION: 2,
  CORRUPTION_ECONOMIC: 4,
} as const;

/** Bucket 0 is every case; buckets 1–3 one category each. */
export function bucketsOf(categories: number): number[] {
  const out = [0];
  if (categories & CaseCategory.STATE_BUDGET) out.push(1);
  if (categories & CaseCategory.CREDIT_INSTITUTION) out.push(2);
  if (categories & CaseCategory.CORRUPTION_ECONOMIC) out.push(3);
  return out;
}

export interface DemoPetition {
  id: number;
  unitId: number;
  kind: 'COMPLAINT' | 'DENUNCIATION' | 'REQUEST' | 'RECOMMENDATION';
  receivedOn: string;
  resolvedOn: string | null;
}

export interface DemoReception {
  id: number;
  unitId: number;
  receivedOn: string;
  citizens: number;
}

/** A leaf unit that receives cases while it is valid. */
export interface DemoLeaf {
  id: number;
  validFrom: string;
  validTo: string | null;
}
