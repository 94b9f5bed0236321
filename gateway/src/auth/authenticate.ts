import { GraphQLError } from 'graphql';
import { ErrorCode, FAMILIES, ROLES, organisationPrincipal, type Family, type Identity, type Role } from '@thads/kit';
import { TokenError, type JwtVerifier } from './jwt';
import type { KeyIdentities } from './key-identities';

export interface AuthOptions {
  verifier: JwtVerifier;
  /** Where API keys are looked up; without it, keys are refused. */
  keys?: KeyIdentities;
  /** The role of a caller with no credentials; undefined refuses them. */
  anonymousRole?: Role;
  /** Revoked token ids (jti); without it, tokens cannot be revoked. */
  revoked?: { has(jti: string): boolean };
}

/** The subject of callers without credentials (where they are let in); their limits go by client address. */
export const ANONYMOUS = 'anonymous';

/** Who a credential names, with what a live connection needs to close when it no longer holds. */
export interface Authenticated {
  identity: Identity;
  /** When the token expires (ms since the epoch); API keys and anonymous callers have none. */
  expiresAt?: number;
  /** The token's id, by which it can be revoked. */
  jti?: string;
}

export const unauthenticated = (message: string, reason?: string) =>
  new GraphQLError(message, {
    extensions: { code: ErrorCode.UNAUTHENTICATED, ...(reason ? { reason } : {}), http: { status: 401, headers: new Map([['www-authenticate', 'Bearer']]) } },
  });

function identityFromClaims(claims: Record<string, unknown>): Identity {
  const role = claims.role as Role;
  if (!ROLES.includes(role)) throw new TokenError(`the token's role "${String(claims.role)}" is not one of ${ROLES.join(', ')}`);
  const units = Array.isArray(claims.units) ? claims.units.map(Number).filter(Number.isSafeInteger) : [];
  if (role !== 'ministry' && units.length === 0) throw new TokenError(`a ${role} token must name its units (claim "units")`);
  const families = (Array.isArray(claims.families) ? claims.families : role === 'integrator' ? [] : FAMILIES).filter((f): f is Family =>
    FAMILIES.includes(f as Family),
  );
  // The organisation behind the token (claim "org"), whose keys and tokens share one set of limits.
  const org = typeof claims.org === 'string' && claims.org ? claims.org : undefined;
  return { subject: String(claims.sub ?? 'unknown'), role, units, families, ...(org ? { principal: organisationPrincipal(org) } : {}) };
}

/**
 * The caller of a request: a bearer JWT, or an API key (as a bearer token or x-api-key).
 * A bad credential is always refused, even where anonymous callers are let in; so is a token
 * whose jti was revoked.
 */
export async function authenticateCredential(options: AuthOptions, credential: string | undefined): Promise<Authenticated> {
  if (!credential) {
    if (options.anonymousRole)
      return {
        identity: { subject: ANONYMOUS, role: options.anonymousRole, units: options.anonymousRole === 'ministry' ? [] : [1], families: [...FAMILIES] },
      };
    throw unauthenticated('Authentication is required: send "Authorization: Bearer <token>" (or an API key) with the request.', 'missing');
  }
  if (credential.startsWith('thads_')) {
    const identity = options.keys ? await options.keys.identityOf(credential) : null;
    if (!identity) throw unauthenticated('The API key is unknown or revoked.', 'key');
    return { identity };
  }
  try {
    const claims = await options.verifier.verify(credential);
    const jti = typeof claims.jti === 'string' && claims.jti ? claims.jti : undefined;
    if (jti && options.revoked?.has(jti)) throw new TokenError('the token was revoked', 'revoked');
    return { identity: identityFromClaims(claims), expiresAt: (claims.exp as number) * 1000, jti };
  } catch (err) {
    if (err instanceof TokenError) throw unauthenticated(`The token was refused: ${err.message}.`, err.reason);
    throw err;
  }
}

/** The identity of a request's caller (see authenticateCredential). */
export async function authenticate(options: AuthOptions, credential: string | undefined): Promise<Identity> {
  return (await authenticateCredential(options, credential)).identity;
}

/** The credential in HTTP headers or graphql-ws connectionParams. */
export function credentialOf(
  source: { authorization?: unknown; Authorization?: unknown; 'x-api-key'?: unknown; apiKey?: unknown; token?: unknown } | undefined,
): string | undefined {
  if (!source) return undefined;
  const auth = source.authorization ?? source.Authorization;
  if (typeof auth === 'string' && /^Bearer\s+/i.test(auth)) return auth.replace(/^Bearer\s+/i, '').trim();
  const key = source['x-api-key'] ?? source.apiKey ?? source.token;
  return typeof key === 'string' && key ? key : undefined;
}
