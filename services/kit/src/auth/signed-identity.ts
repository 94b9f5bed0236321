import { createHmac, timingSafeEqual } from 'node:crypto';
import { ErrorCode, userError } from '../graphql/errors';
import { FAMILIES, ROLES, type Identity } from './identity';

/** Header carrying the identity the gateway verified, signed with the shared secret. */
export const IDENTITY_HEADER = 'x-thads-identity';
const MAX_AGE_MS = 5 * 60 * 1000;

function mac(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

/** `<payload>.<hmac>`, payload = base64url JSON of the identity and the time it was signed. */
export function signIdentity(identity: Identity, secret: string, now = Date.now()): string {
  const payload = Buffer.from(JSON.stringify({ ...identity, at: now })).toString('base64url');
  return `${payload}.${mac(secret, payload)}`;
}

const unauthenticated = (why: string) =>
  userError(ErrorCode.UNAUTHENTICATED, `This service answers only requests forwarded by the gateway (${why}). Send your request to the gateway's /graphql.`, {
    http: { status: 401 },
  });

/** Verifies a forwarded identity; anything missing, forged, stale or malformed is refused. */
export function verifyIdentity(header: string | undefined, secret: string, now = Date.now()): Identity {
  if (!header) throw unauthenticated('no forwarded identity');
  const [payload, signature] = header.split('.');
  if (!payload || !signature) throw unauthenticated('malformed identity');
  const expected = Buffer.from(mac(secret, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw unauthenticated('identity signature does not match');
  let parsed: Identity & { at: number };
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw unauthenticated('identity is not readable');
  }
  if (typeof parsed.at !== 'number' || Math.abs(now - parsed.at) > MAX_AGE_MS) throw unauthenticated('identity is stale');
  if (!ROLES.includes(parsed.role) || !Array.isArray(parsed.units) || !Array.isArray(parsed.families) || !parsed.families.every((f) => FAMILIES.includes(f))) {
    throw unauthenticated('identity has an unknown role or scope');
  }
  return { subject: String(parsed.subject), role: parsed.role, units: parsed.units.map(Number), families: parsed.families };
}
