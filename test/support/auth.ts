import { signHs256 } from '@thads/gateway';
import { FAMILIES, signIdentity, type Family, type Identity, type Role } from '@thads/kit';

/** Secrets of the hubs the tests start (never used outside tests). */
export const TEST_JWT_SECRET = 'test-jwt-secret-0123456789abcdef0123456789';
export const TEST_IDENTITY_SECRET = 'test-identity-secret-0123456789abcdef012345';

export function token(role: Role, units: number[] = [], families: readonly Family[] = FAMILIES, ttlSeconds = 600, subject = `test-${role}`): string {
  const now = Math.floor(Date.now() / 1000);
  return signHs256({ sub: subject, role, units, families, iat: now, exp: now + ttlSeconds }, TEST_JWT_SECRET);
}

export function bearer(role: Role, units: number[] = [], families: readonly Family[] = FAMILIES): Record<string, string> {
  return { authorization: `Bearer ${token(role, units, families)}` };
}

/** Headers a subgraph accepts: the identity the gateway would forward. */
export function forwarded(identity: Identity = { subject: 'test', role: 'ministry', units: [], families: [...FAMILIES] }): Record<string, string> {
  return { 'x-thads-identity': signIdentity(identity, TEST_IDENTITY_SECRET) };
}

/** What a test request carries by default: a ministry token for the gateway, a forwarded ministry identity for a subgraph. */
export function defaultHeaders(): Record<string, string> {
  return { ...bearer('ministry'), ...forwarded() };
}
