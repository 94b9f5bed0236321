import type { Fetcher, FetcherRequestInit } from '@apollo/utils.fetcher';
import { IDENTITY_HEADER, signIdentity, type Identity } from '@thads/kit';

/** Marks an identity header that still has to be signed, over the body the fetcher sends. */
const PENDING = 'pending.';

/**
 * The identity to forward with a subgraph request, unsigned: the body is not made yet when the
 * headers are set (RemoteGraphQLDataSource serializes it later), so `signingFetcher` signs it.
 * A subgraph refuses it as it is (no signature).
 */
export function pendingIdentity(identity: Identity): string {
  return PENDING + Buffer.from(JSON.stringify(identity)).toString('base64url');
}

/**
 * Wraps the subgraph fetcher so that every request it sends carries a signature of its own,
 * made over that request's method, path and body for this subgraph, with a fresh nonce: a
 * refresh of the live layer, a retry of the fetch cache and each entity fetch each get theirs.
 */
export function signingFetcher(fetcher: Fetcher, secret: string, audience: string): Fetcher {
  return (url: string, init: FetcherRequestInit = {}) => {
    const pending = init.headers?.[IDENTITY_HEADER];
    if (!pending?.startsWith(PENDING)) return fetcher(url, init);
    const identity = JSON.parse(Buffer.from(pending.slice(PENDING.length), 'base64url').toString('utf8')) as Identity;
    const { pathname, search } = new URL(url);
    const signed = signIdentity(identity, { method: init.method ?? 'GET', target: pathname + search, body: init.body, audience }, secret);
    return fetcher(url, { ...init, headers: { ...init.headers, [IDENTITY_HEADER]: signed } });
  };
}
