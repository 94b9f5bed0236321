import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { ErrorCode, userError } from '../graphql/errors';
import { FAMILIES, ROLES, type Identity } from './identity';
import type { NonceStore } from './nonce-store';

/** Header carrying the identity the gateway verified, signed with the shared secret for one request. */
export const IDENTITY_HEADER = 'x-thads-identity';

/** How long a signature is good for, either side of the time it was made (clocks of the gateway and the subgraphs differ a little). */
export const DEFAULT_IDENTITY_WINDOW_S = 10;

/**
 * The request a signature is made for. A captured header is of no use for any other request:
 * another method, path, body or subgraph does not match its signature, and the same request
 * sent again is refused by its nonce.
 */
export interface SignedRequest {
  method: string;
  /** Path and query string, as in the request line (`/graphql`). */
  target: string;
  body: string | Buffer | undefined;
  /** The subgraph it is sent to, by its name in the supergraph. */
  audience: string;
}

/** Why a forwarded identity was refused, in `extensions.reason` (stable, for tests and logs). */
export type IdentityRefusal = 'missing' | 'malformed' | 'signature' | 'stale' | 'replayed' | 'audience' | 'scope';

interface SignedPayload extends Identity {
  /** When it was signed (ms since the epoch). */
  at: number;
  nonce: string;
  aud: string;
}

const digest = (body: string | Buffer | undefined) =>
  createHash('sha256')
    .update(body ?? '')
    .digest('base64url');

function mac(secret: string, payload: string, request: SignedRequest): string {
  return createHmac('sha256', secret)
    .update(`${payload}\n${request.method.toUpperCase()}\n${request.target}\n${digest(request.body)}`)
    .digest('base64url');
}

/**
 * `<payload>.<hmac>`: payload = base64url JSON of the identity, the time, a fresh nonce and the
 * subgraph it is meant for; the HMAC covers the payload and the request's method, target and
 * body digest. One signature per request sent, never shared between requests.
 */
export function signIdentity(identity: Identity, request: SignedRequest, secret: string, now = Date.now(), nonce: string = randomUUID()): string {
  const signed: SignedPayload = {
    subject: identity.subject,
    role: identity.role,
    units: identity.units,
    families: identity.families,
    at: now,
    nonce,
    aud: request.audience,
  };
  const payload = Buffer.from(JSON.stringify(signed)).toString('base64url');
  return `${payload}.${mac(secret, payload, request)}`;
}

const unauthenticated = (reason: IdentityRefusal, why: string) =>
  userError(ErrorCode.UNAUTHENTICATED, `This service answers only requests forwarded by the gateway (${why}). Send your request to the gateway's /graphql.`, {
    reason,
    http: { status: 401 },
  });

export interface IdentityCheck {
  /** Signatures older or newer than this are refused (ms). */
  windowMs: number;
  /** Nonces seen within the window; a second use is refused. */
  nonces: NonceStore;
  now?: number;
}

/**
 * Verifies a forwarded identity against the request it came with: anything missing, forged,
 * made for another request or subgraph, outside the window or seen before is refused.
 */
export function verifyIdentity(header: string | undefined, request: SignedRequest, secret: string, check: IdentityCheck): Identity {
  const now = check.now ?? Date.now();
  if (!header) throw unauthenticated('missing', 'no forwarded identity');
  const [payload, signature, extra] = header.split('.');
  if (!payload || !signature || extra !== undefined) throw unauthenticated('malformed', 'malformed identity');
  const expected = Buffer.from(mac(secret, payload, request));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    throw unauthenticated('signature', 'identity signature does not match this request');
  let parsed: SignedPayload;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as SignedPayload;
  } catch {
    throw unauthenticated('malformed', 'identity is not readable');
  }
  if (typeof parsed.at !== 'number' || Math.abs(now - parsed.at) > check.windowMs) throw unauthenticated('stale', 'identity is stale');
  if (parsed.aud !== request.audience) throw unauthenticated('audience', 'identity is meant for another service');
  if (typeof parsed.nonce !== 'string' || parsed.nonce.length < 16) throw unauthenticated('malformed', 'identity has no nonce');
  if (!ROLES.includes(parsed.role) || !Array.isArray(parsed.units) || !Array.isArray(parsed.families) || !parsed.families.every((f) => FAMILIES.includes(f))) {
    throw unauthenticated('scope', 'identity has an unknown role or scope');
  }
  // Last, so that only a signature that passed every other check takes a place in the store.
  if (!check.nonces.remember(parsed.nonce, now)) throw unauthenticated('replayed', 'identity was used before');
  return { subject: String(parsed.subject), role: parsed.role, units: parsed.units.map(Number), families: parsed.families };
}
