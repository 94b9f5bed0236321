import { GraphQLError } from 'graphql';
import type { Pool } from 'pg';
import { ErrorCode, FAMILIES, ROLES, identityOfApiKey, organisationPrincipal, type Family, type Identity, type Role } from '@thads/kit';
import { TokenError, type JwtVerifier } from './jwt';

export interface AuthOptions {
  verifier: JwtVerifier;
  /** Where API keys are looked up; without it, keys are refused. */
  keys?: Pool;
  /** The role of a caller with no credentials; undefined refuses them. */
  anonymousRole?: Role;
}

/** The subject of callers without credentials (where they are let in); their limits go by client address. */
export const ANONYMOUS = 'anonymous';

export const unauthenticated = (message: string) =>
  new GraphQLError(message, { extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401, headers: new Map([['www-authenticate', 'Bearer']]) } } });

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
 * A bad credential is always refused, even where anonymous callers are let in.
 */
export async function authenticate(options: AuthOptions, credential: string | undefined): Promise<Identity> {
  if (!credential) {
    if (options.anonymousRole)
      return { subject: ANONYMOUS, role: options.anonymousRole, units: options.anonymousRole === 'ministry' ? [] : [1], families: [...FAMILIES] };
    throw unauthenticated('Authentication is required: send "Authorization: Bearer <token>" (or an API key) with the request.');
  }
  if (credential.startsWith('thads_')) {
    const identity = options.keys ? await identityOfApiKey(options.keys, credential) : null;
    if (!identity) throw unauthenticated('The API key is unknown or revoked.');
    return identity;
  }
  try {
    return identityFromClaims(await options.verifier.verify(credential));
  } catch (err) {
    if (err instanceof TokenError) throw unauthenticated(`The token was refused: ${err.message}.`);
    throw err;
  }
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
