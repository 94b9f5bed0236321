import type { DocumentNode, GraphQLError } from 'graphql';
import type { Identity } from '@thads/kit';
import type { Caller } from './authenticate';

/** Checks a graphql-ws connection's `connectionParams` (onConnect); null refuses it (4403). */
export type AuthenticateConnection = (connectionParams: Readonly<Record<string, unknown>> | undefined) => Promise<Caller | null>;

/** Checks one operation for an identity (onSubscribe); errors refuse it. */
export type AuthorizeOperation = (identity: Identity, document: DocumentNode, variables: Record<string, unknown>) => Promise<readonly GraphQLError[] | null>;
