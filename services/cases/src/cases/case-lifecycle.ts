import { ErrorCode, userError } from '@thads/kit';

/** What can happen to a case, in the words of the statistics regime. */
export type CaseEventKind =
  | 'RECEIVED'
  | 'CLASSIFIED_ENFORCEABLE'
  | 'CLASSIFIED_NOT_ENFORCEABLE'
  | 'POSTPONED'
  | 'SUSPENDED'
  | 'RESUMED'
  | 'COMPLETED'
  | 'TERMINATED'
  | 'ENTRUSTED_OUT'
  | 'WITHDRAWN'
  | 'SEPARATE_BOOK';

export type CaseStatus = 'OPEN' | 'POSTPONED' | 'SUSPENDED' | 'DONE' | 'ENTRUSTED_OUT' | 'WITHDRAWN' | 'SEPARATE_BOOK';

export interface CaseState {
  status: CaseStatus;
  /** null until classified. */
  enforceable: boolean | null;
}

/** The change an event makes to the running sums of its unit and month. */
export interface CaseDeltas {
  open: number;
  openEnforceable: number;
}

const LEAVING: Partial<Record<CaseEventKind, CaseStatus>> = {
  COMPLETED: 'DONE',
  TERMINATED: 'DONE',
  ENTRUSTED_OUT: 'ENTRUSTED_OUT',
  WITHDRAWN: 'WITHDRAWN',
  SEPARATE_BOOK: 'SEPARATE_BOOK',
};

function isOpen(state: CaseState | null): state is CaseState {
  return state !== null && (state.status === 'OPEN' || state.status === 'POSTPONED' || state.status === 'SUSPENDED');
}

function impossible(kind: CaseEventKind, state: CaseState | null, why: string): never {
  throw userError(
    ErrorCode.BAD_USER_INPUT,
    `A case ${state ? `that is ${state.status.toLowerCase().replace('_', ' ')}` : 'not yet received'} cannot be ${kind.toLowerCase().replace(/_/g, ' ')}: ${why}`,
    {
      reason: 'IMPOSSIBLE_TRANSITION',
      event: kind,
      status: state?.status ?? null,
    },
  );
}

/**
 * Applies one event to a case: the new state and the deltas it adds to the aggregates.
 * An event that cannot happen in the case's state is refused with a clear reason.
 */
export function applyCaseEvent(state: CaseState | null, kind: CaseEventKind): { state: CaseState; deltas: CaseDeltas } {
  if (kind === 'RECEIVED') {
    if (state !== null) impossible(kind, state, 'it was received already.');
    return { state: { status: 'OPEN', enforceable: null }, deltas: { open: 1, openEnforceable: 0 } };
  }
  if (!isOpen(state)) impossible(kind, state, 'only an open case can change.');
  const wasEnforceable = state.enforceable === true ? 1 : 0;
  switch (kind) {
    case 'CLASSIFIED_ENFORCEABLE':
      return { state: { ...state, enforceable: true }, deltas: { open: 0, openEnforceable: 1 - wasEnforceable } };
    case 'CLASSIFIED_NOT_ENFORCEABLE':
      return { state: { ...state, enforceable: false }, deltas: { open: 0, openEnforceable: -wasEnforceable } };
    case 'POSTPONED':
    case 'SUSPENDED':
      return { state: { ...state, status: kind }, deltas: { open: 0, openEnforceable: 0 } };
    case 'RESUMED':
      if (state.status === 'OPEN') impossible(kind, state, 'it is not postponed or suspended.');
      return { state: { ...state, status: 'OPEN' }, deltas: { open: 0, openEnforceable: 0 } };
    case 'COMPLETED':
      if (state.enforceable !== true) impossible(kind, state, 'classify it enforceable first.');
      return { state: { ...state, status: 'DONE' }, deltas: { open: -1, openEnforceable: -1 } };
    case 'TERMINATED':
    case 'ENTRUSTED_OUT':
    case 'WITHDRAWN':
    case 'SEPARATE_BOOK':
      return { state: { ...state, status: LEAVING[kind]! }, deltas: { open: -1, openEnforceable: -wasEnforceable } };
  }
}
