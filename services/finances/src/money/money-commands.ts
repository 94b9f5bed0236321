import type { MoneyEventKind } from './money-lifecycle';

export interface ReceiveMoneyCommand {
  type: 'RECEIVE';
  caseId: string;
  unitId: number;
  date: string;
  amount: bigint;
  categories: number;
  line?: number;
}

export interface MoneyEventCommand {
  type: 'EVENT';
  caseId: string;
  kind: Exclude<MoneyEventKind, 'RECEIVED'>;
  date: string;
  /** VND, for COLLECTED. */
  amount: bigint;
  line?: number;
}

export type MoneyCommand = ReceiveMoneyCommand | MoneyEventCommand;
