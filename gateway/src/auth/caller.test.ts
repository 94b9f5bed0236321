import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { AuthFailureLimiter } from '../limits/auth-failures';
import type { AuthOptions } from './authenticate';
import { authenticateCaller } from './caller';
import { JwtVerifier, signHs256 } from './jwt';
import { KeyIdentities } from './key-identities';

const SECRET = 'caller-test-secret-0123456789abcdef0123';
const GOOD = 'a'.repeat(64);

/** API keys as the gateway reads them, counting each lookup: key 7 is an integrator of "Sở Tư pháp Tuyên Quang" until `store.revoked`. */
function keyStore() {
  const store = { lookups: 0, revoked: false };
  const db = {
    query: async (_sql: string, [id]: string[]) => {
      store.lookups++;
      const row = { name: 'portal', owner: 'Sở Tư pháp Tuyên Quang', role: 'integrator', units: [2012], families: ['cases'] };
      return { rows: id === '7' && !store.revoked ? [{ ...row, secret_hash: createHash('sha256').update(GOOD).digest('hex') }] : [] };
    },
  } as unknown as Pool;
  return { store, db, keys: new KeyIdentities(db) };
}

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (err: { extensions: { code: string } }) => err.extensions.code,
  );

describe('authenticating a caller', () => {
  it('stops looking keys up for an address past its failures, and lets a key seen working through', async () => {
    const { store, keys } = keyStore();
    const auth: AuthOptions = { verifier: new JwtVerifier({ secret: SECRET, clockSkew: 60 }), keys };
    const failures = new AuthFailureLimiter({ failures: 5, windowMs: 60000 });
    expect(await outcome(authenticateCaller(auth, failures, `thads_7_${GOOD}`, '10.0.0.9'))).toBe('ok');
    const codes = [];
    for (let i = 0; i < 50; i++) codes.push(await outcome(authenticateCaller(auth, failures, `thads_${100 + i}_${'0'.repeat(64)}`, '10.0.0.9')));
    expect(codes).toEqual([...Array<string>(6).fill('UNAUTHENTICATED'), ...Array<string>(44).fill('RATE_LIMITED')]);
    expect(store.lookups).toBe(1 + 6);
    // The key that worked before still works from there; from elsewhere, keys are looked up as ever.
    expect(await outcome(authenticateCaller(auth, failures, `thads_7_${GOOD}`, '10.0.0.9'))).toBe('ok');
    expect(await outcome(authenticateCaller(auth, failures, `thads_8_${GOOD}`, '10.0.0.10'))).toBe('UNAUTHENTICATED');
  });

  it('names the principal: the key’s owner, the token’s org (else its subject), the anonymous caller’s address', async () => {
    const { keys } = keyStore();
    const auth: AuthOptions = { verifier: new JwtVerifier({ secret: SECRET, clockSkew: 60 }), keys, anonymousRole: 'ministry' };
    const failures = new AuthFailureLimiter({ failures: 5, windowMs: 60000 });
    const now = Math.floor(Date.now() / 1000);
    const token = (claims: Record<string, unknown>) => signHs256({ sub: 'analyst', role: 'ministry', iat: now, exp: now + 600, ...claims }, SECRET);
    const principal = async (credential: string | undefined) => (await authenticateCaller(auth, failures, credential, '192.0.2.7')).principal;
    expect(await principal(`thads_7_${GOOD}`)).toBe('org:Sở Tư pháp Tuyên Quang');
    expect(await principal(token({ org: 'Sở Tư pháp Tuyên Quang' }))).toBe('org:Sở Tư pháp Tuyên Quang');
    expect(await principal(token({}))).toBe('sub:analyst');
    expect(await principal(undefined)).toBe('addr:192.0.2.7');
  });
});

describe('API key identities', () => {
  it('looks a working key up once a revocation window, shares lookups made together, and keeps no failure', async () => {
    const { store, db } = keyStore();
    const keys = new KeyIdentities(db, 2000);
    const t0 = 1_000_000;
    const together = await Promise.all([1, 2, 3].map(() => keys.identityOf(`thads_7_${GOOD}`, t0)));
    expect(together.map((i) => i?.subject)).toEqual(['key:7:portal', 'key:7:portal', 'key:7:portal']);
    expect(store.lookups).toBe(1);
    expect((await keys.identityOf(`thads_7_${GOOD}`, t0 + 1999))?.subject).toBe('key:7:portal');
    expect(store.lookups).toBe(1);
    // Revoked: refused once the window has passed, and from then on.
    store.revoked = true;
    expect(await keys.identityOf(`thads_7_${GOOD}`, t0 + 2000)).toBeNull();
    expect(await keys.identityOf(`thads_7_${GOOD}`, t0 + 2001)).toBeNull();
    expect(store.lookups).toBe(3);
    // A wrong secret for a key that exists is looked up each time, never kept.
    store.revoked = false;
    for (let i = 0; i < 3; i++) expect(await keys.identityOf(`thads_7_${'b'.repeat(64)}`, t0 + 3000)).toBeNull();
    expect(store.lookups).toBe(6);
  });
});
