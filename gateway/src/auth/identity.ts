import type { DocumentNode, GraphQLError } from 'graphql';

/** Who is calling, as the gateway verified it. */
export interface Identity {
  subject: string;
  role: string;
  /** What the multiplexer may share between callers: equal keys see equal data. */
  scopeKey: string;
}

export const ANONYMOUS: Identity = { subject: 'anonymous', role: 'public', scopeKey: 'public' };

/** Checks a graphql-ws connection's `connectionParams` (onConnect); null refuses it (4403). */
export type AuthenticateConnection = (connectionParams: Readonly<Record<string, unknown>> | undefined) => Promise<Identity | null>;

/** Checks one operation for an identity (onSubscribe); errors refuse it. */
export type AuthorizeOperation = (identity: Identity, document: DocumentNode, variables: Record<string, unknown>) => Promise<readonly GraphQLError[] | null>;

/** Until access control is configured, every connection is the anonymous public reader. */
export const openAccess: { authenticate: AuthenticateConnection; authorize: AuthorizeOperation } = {
  authenticate: async () => ANONYMOUS,
  authorize: async () => null,
};
