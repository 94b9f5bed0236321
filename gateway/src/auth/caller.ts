import type { GraphQLError } from 'graphql';
import { ErrorCode, type Identity } from '@thads/kit';
import type { AuthFailureLimiter } from '../limits/auth-failures';
import { ANONYMOUS, authenticateCredential, type Authenticated, type AuthOptions } from './authenticate';

/** An authenticated caller (with its token's expiry and id) and the principal its limits go by. */
export interface Caller extends Authenticated {
  principal: string;
}

/**
 * Whose budget a caller spends: its organisation's (keys' owner, tokens' `org` claim), else
 * its own subject's; an anonymous caller (a local hub without --secure) its address's.
 */
export function principalOf(identity: Identity, address: string): string {
  return identity.principal ?? (identity.subject === ANONYMOUS ? `addr:${address}` : `sub:${identity.subject}`);
}

/**
 * Authenticates a credential sent from an address: refused before any lookup while the
 * address is held back for failed attempts, and each failure counted against the address.
 */
export async function authenticateCaller(auth: AuthOptions, failures: AuthFailureLimiter, credential: string | undefined, address: string): Promise<Caller> {
  if (credential) failures.check(address, credential);
  let authenticated: Authenticated;
  try {
    authenticated = await authenticateCredential(auth, credential);
  } catch (err) {
    if (credential && (err as GraphQLError).extensions?.code === ErrorCode.UNAUTHENTICATED) failures.failed(address);
    throw err;
  }
  if (credential) failures.succeeded(credential);
  return { ...authenticated, principal: principalOf(authenticated.identity, address) };
}
