import type { IncomingMessage } from 'node:http';
import type { DocumentNode, GraphQLError } from 'graphql';
import type { Identity } from '@thads/kit';
import type { Caller } from './caller';

/**
 * Checks a graphql-ws connection's `connectionParams` (onConnect), sent over the upgraded
 * `request`; a refusal is thrown (the connection is closed: 4401 for a refused credential, 4429 when rate-limited).
 */
export type AuthenticateConnection = (connectionParams: Readonly<Record<string, unknown>> | undefined, request: IncomingMessage) => Promise<Caller>;

/** Checks one operation for an identity (onSubscribe); errors refuse it. */
export type AuthorizeOperation = (identity: Identity, document: DocumentNode, variables: Record<string, unknown>) => Promise<readonly GraphQLError[] | null>;
