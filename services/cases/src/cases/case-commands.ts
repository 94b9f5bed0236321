import type { CaseEventKind } from './case-lifecycle';

/** A new case: received by a unit on a date. */
export interface ReceiveCaseCommand {
  type: 'RECEIVE';
  /** Client-chosen id (imports); the server assigns one when absent. */
  caseId?: string;
  unitId: number;
  date: string;
  judgmentRef: string;
  /** Bitmask: 1 state budget, 2 credit institution, 4 corruption/economic crime. */
  categories: number;
  /** Line of an import file, for messages. */
  line?: number;
}

/** Anything that happens to an existing case. */
export interface CaseEventCommand {
  type: 'EVENT';
  caseId: string;
  kind: Exclude<CaseEventKind, 'RECEIVED'>;
  date: string;
  line?: number;
}

export type CaseCommand = ReceiveCaseCommand | CaseEventCommand;
