import { applyCaseEvent, type CaseEventKind, type CaseState } from './case-lifecycle';

function run(kinds: CaseEventKind[]) {
  let state: CaseState | null = null;
  let open = 0;
  let openEnforceable = 0;
  for (const kind of kinds) {
    const r = applyCaseEvent(state, kind);
    state = r.state;
    open += r.deltas.open;
    openEnforceable += r.deltas.openEnforceable;
  }
  return { state, open, openEnforceable };
}

const reasonOf = (kinds: CaseEventKind[]) => {
  try {
    run(kinds);
  } catch (err) {
    return (err as { extensions: { code: string; reason: string } }).extensions;
  }
  return undefined;
};

describe('applyCaseEvent', () => {
  it('opens on receipt and counts enforceable work once', () => {
    expect(run(['RECEIVED'])).toMatchObject({ open: 1, openEnforceable: 0 });
    expect(run(['RECEIVED', 'CLASSIFIED_ENFORCEABLE', 'CLASSIFIED_ENFORCEABLE'])).toMatchObject({ open: 1, openEnforceable: 1 });
  });

  it('moves a case between enforceable and not', () => {
    expect(run(['RECEIVED', 'CLASSIFIED_ENFORCEABLE', 'CLASSIFIED_NOT_ENFORCEABLE'])).toMatchObject({ open: 1, openEnforceable: 0 });
  });

  it('keeps postponed and suspended work open', () => {
    expect(run(['RECEIVED', 'CLASSIFIED_ENFORCEABLE', 'POSTPONED'])).toMatchObject({ open: 1, openEnforceable: 1, state: { status: 'POSTPONED' } });
    expect(run(['RECEIVED', 'CLASSIFIED_ENFORCEABLE', 'SUSPENDED', 'RESUMED', 'COMPLETED'])).toMatchObject({ open: 0, openEnforceable: 0 });
  });

  it.each<CaseEventKind>(['ENTRUSTED_OUT', 'WITHDRAWN', 'TERMINATED'])('takes an enforceable case out of both stocks when %s', (kind) => {
    expect(run(['RECEIVED', 'CLASSIFIED_ENFORCEABLE', kind])).toMatchObject({ open: 0, openEnforceable: 0 });
  });

  it('refuses impossible transitions with a stable code and reason', () => {
    expect(reasonOf(['RECEIVED', 'WITHDRAWN', 'COMPLETED'])).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'IMPOSSIBLE_TRANSITION' }));
    expect(reasonOf(['COMPLETED'])).toEqual(expect.objectContaining({ reason: 'IMPOSSIBLE_TRANSITION' }));
    expect(reasonOf(['RECEIVED', 'RECEIVED'])).toEqual(expect.objectContaining({ reason: 'IMPOSSIBLE_TRANSITION' }));
    expect(reasonOf(['RECEIVED', 'COMPLETED'])).toEqual(expect.objectContaining({ reason: 'IMPOSSIBLE_TRANSITION' }));
    expect(reasonOf(['RECEIVED', 'RESUMED'])).toEqual(expect.objectContaining({ reason: 'IMPOSSIBLE_TRANSITION' }));
  });
});
