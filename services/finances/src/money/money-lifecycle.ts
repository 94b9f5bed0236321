import { ErrorCode, userError } from '@thads/kit';

export type MoneyEventKind =
  | 'RECEIVED'
  | 'CLASSIFIED_ENFORCEABLE'
  | 'CLASSIFIED_NOT_ENFORCEABLE'
  | 'COLLECTED'
  | 'COMPLETED'
  | 'TERMINATED'
  | 'ENTRUSTED_OUT'
  | 'WITHDRAWN'
  | 'SEPARATE_BOOK';

export interface MoneyState {
  open: boolean;
  /** VND still to enforce. */
  remaining: bigint;
  enforceable: boolean;
}

/** The flow an event adds in its month, and the change to the open stocks (VND). */
export interface MoneyDeltas {
  flow: bigint;
  open: bigint;
  openEnforceable: bigint;
}

function refuse(message: string, reason: string): never {
  throw userError(ErrorCode.BAD_USER_INPUT, message, { reason });
}

/**
 * Applies one money event to a case's obligation. A collection lowers what remains; a case
 * that leaves takes what remains out (done when completed or terminated, else entrusted,
 * withdrawn or moved to the separate book).
 */
export function applyMoneyEvent(state: MoneyState | null, kind: MoneyEventKind, amount = 0n): { state: MoneyState; deltas: MoneyDeltas } {
  if (kind === 'RECEIVED') {
    if (state) refuse('The money of this case was received already.', 'IMPOSSIBLE_TRANSITION');
    if (amount < 0n) refuse('An amount to enforce cannot be negative.', 'NEGATIVE_AMOUNT');
    return { state: { open: true, remaining: amount, enforceable: false }, deltas: { flow: amount, open: amount, openEnforceable: 0n } };
  }
  if (!state || !state.open)
    refuse(`A ${state ? 'closed' : 'not yet received'} case cannot be ${kind.toLowerCase().replace(/_/g, ' ')}.`, 'IMPOSSIBLE_TRANSITION');
  const inEnforceable = (v: bigint) => (state.enforceable ? v : 0n);
  switch (kind) {
    case 'CLASSIFIED_ENFORCEABLE':
      return { state: { ...state, enforceable: true }, deltas: { flow: 0n, open: 0n, openEnforceable: state.enforceable ? 0n : state.remaining } };
    case 'CLASSIFIED_NOT_ENFORCEABLE':
      return { state: { ...state, enforceable: false }, deltas: { flow: 0n, open: 0n, openEnforceable: -inEnforceable(state.remaining) } };
    case 'COLLECTED':
      if (amount <= 0n) refuse('A collection must be a positive whole number of dong.', 'NON_POSITIVE_AMOUNT');
      if (amount > state.remaining) refuse(`A collection of ${amount} VND is more than the ${state.remaining} VND that remain.`, 'OVER_COLLECTION');
      return { state: { ...state, remaining: state.remaining - amount }, deltas: { flow: amount, open: -amount, openEnforceable: -inEnforceable(amount) } };
    case 'COMPLETED':
    case 'TERMINATED':
    case 'ENTRUSTED_OUT':
    case 'WITHDRAWN':
    case 'SEPARATE_BOOK':
      return {
        state: { ...state, open: false, remaining: 0n },
        deltas: { flow: state.remaining, open: -state.remaining, openEnforceable: -inEnforceable(state.remaining) },
      };
  }
}
