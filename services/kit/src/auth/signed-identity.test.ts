import { NonceStore } from './nonce-store';
import { signIdentity, verifyIdentity, type SignedRequest } from './signed-identity';
import type { Identity } from './identity';

const SECRET = 'unit-test-identity-secret-0123456789abcdef';
const who: Identity = { subject: 's', role: 'reporter', units: [7], families: ['cases'] };
const read: SignedRequest = { method: 'POST', target: '/graphql', body: '{"query":"{ a }"}', audience: 'cases' };
const reasonOf = (run: () => unknown) => {
  try {
    run();
  } catch (err) {
    return (err as { extensions?: { reason?: string } }).extensions?.reason;
  }
  return 'accepted';
};

describe('signed identity between the gateway and a subgraph', () => {
  const check = (nonces: NonceStore, now = Date.now()) => ({ windowMs: 10000, nonces, now });

  it('accepts a signature once, for the request it was made for', () => {
    const nonces = new NonceStore(20000);
    const header = signIdentity(who, read, SECRET);
    expect(verifyIdentity(header, read, SECRET, check(nonces))).toEqual(who);
    expect(reasonOf(() => verifyIdentity(header, read, SECRET, check(nonces)))).toBe('replayed');
  });

  it('refuses it for another body, method, path or subgraph', () => {
    const header = signIdentity(who, read, SECRET);
    for (const other of [{ body: '{"query":"mutation { b }"}' }, { method: 'GET' }, { target: '/graphql?x=1' }]) {
      expect(reasonOf(() => verifyIdentity(header, { ...read, ...other }, SECRET, check(new NonceStore(20000))))).toBe('signature');
    }
    const forFinances = signIdentity(who, { ...read, audience: 'finances' }, SECRET);
    expect(reasonOf(() => verifyIdentity(forFinances, read, SECRET, check(new NonceStore(20000))))).toBe('audience');
  });

  it('refuses a signature outside the window either way, a forged one and none', () => {
    const now = Date.now();
    const nonces = new NonceStore(20000);
    expect(reasonOf(() => verifyIdentity(signIdentity(who, read, SECRET, now - 10001), read, SECRET, check(nonces, now)))).toBe('stale');
    expect(reasonOf(() => verifyIdentity(signIdentity(who, read, SECRET, now + 10001), read, SECRET, check(nonces, now)))).toBe('stale');
    expect(reasonOf(() => verifyIdentity(signIdentity(who, read, 'another-secret-another-secret-another!!'), read, SECRET, check(nonces)))).toBe('signature');
    expect(reasonOf(() => verifyIdentity(undefined, read, SECRET, check(nonces)))).toBe('missing');
    expect(reasonOf(() => verifyIdentity('a.b.c', read, SECRET, check(nonces)))).toBe('malformed');
  });

  it('forgets a nonce once its signature can no longer pass the time check', () => {
    const nonces = new NonceStore(20000);
    expect(nonces.remember('n1', 0)).toBe(true);
    expect(nonces.remember('n1', 19999)).toBe(false);
    expect(nonces.remember('n2', 20000)).toBe(true);
    expect(nonces.size).toBe(1);
  });
});
