import { signHs256 } from '@thads/gateway';
import { FAMILIES, signIdentity, type Family, type Identity, type Role } from '@thads/kit';
import { EMBEDDED_AUDIENCE, EMBEDDED_ISSUER } from '../../cli/src/token-claims';

/** Secrets of the hubs the tests start (never used outside tests). */
export const TEST_JWT_SECRET = 'test-jwt-secret-0123456789abcdef0123456789';
export const TEST_IDENTITY_SECRET = 'test-identity-secret-0123456789abcdef012345';

/** A token of the hub's own issuer and audience (which a --secure hub requires), unless `claims` say otherwise. */
export function token(
  role: Role,
  units: number[] = [],
  families: readonly Family[] = FAMILIES,
  ttlSeconds = 600,
  subject = `test-${role}`,
  claims: Record<string, unknown> = {},
): string {
  const now = Math.floor(Date.now() / 1000);
  return signHs256(
    { sub: subject, role, units, families, iss: EMBEDDED_ISSUER, aud: EMBEDDED_AUDIENCE, iat: now, exp: now + ttlSeconds, ...claims },
    TEST_JWT_SECRET,
  );
}

export function bearer(role: Role, units: number[] = [], families: readonly Family[] = FAMILIES): Record<string, string> {
  return { authorization: `Bearer ${token(role, units, families)}` };
}

/**
 * Asks `gql` to forward this identity to a subgraph as the gateway does: signed for the one
 * request it sends (method, path, body, the subgraph's name), with a fresh nonce.
 */
export const FORWARD_HEADER = 'x-test-forward-identity';

/** Headers a subgraph accepts (once `gql` signs them): the identity the gateway would forward. */
export function forwarded(identity: Identity = { subject: 'test', role: 'ministry', units: [], families: [...FAMILIES] }): Record<string, string> {
  return { [FORWARD_HEADER]: JSON.stringify(identity) };
}

/** Subgraph names by origin, from their /health (a gateway says "gateway"). */
const names = new Map<string, Promise<string>>();

/** The name a service at this URL answers to, which a forwarded identity is signed for. */
export function serviceName(url: string): Promise<string> {
  const origin = new URL(url).origin;
  let name = names.get(origin);
  if (!name) {
    name = fetch(`${origin}/health`).then(async (r) => ((await r.json()) as { service: string }).service);
    names.set(origin, name);
    name.catch(() => names.delete(origin));
  }
  return name;
}

/** The signed identity header for one request to a subgraph, as the gateway makes it. */
export async function signedIdentityHeader(url: string, identity: Identity, method: string, body: string, now = Date.now()): Promise<string> {
  const { pathname, search } = new URL(url);
  return signIdentity(identity, { method, target: pathname + search, body, audience: await serviceName(url) }, TEST_IDENTITY_SECRET, now);
}

/** Headers as sent: a forwarded identity (see `forwarded`) signed for this request. */
export async function signForwarded(url: string, method: string, body: string, headers: Record<string, string>): Promise<Record<string, string>> {
  const { [FORWARD_HEADER]: pending, ...rest } = headers;
  if (pending === undefined) return headers;
  return { ...rest, 'x-thads-identity': await signedIdentityHeader(url, JSON.parse(pending) as Identity, method, body) };
}

/** What a test request carries by default: a ministry token for the gateway, a forwarded ministry identity for a subgraph. */
export function defaultHeaders(): Record<string, string> {
  return { ...bearer('ministry'), ...forwarded() };
}
