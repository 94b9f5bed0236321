import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '@thads/kit';

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The registered operations of persisted-operations mode: a JSON file mapping each
 * document's sha256 to its text. Clients send `documentId` (or Apollo's
 * `extensions.persistedQuery.sha256Hash`), or a `query` whose hash is registered.
 */
export class PersistedOperations {
  private readonly byHash: Map<string, string>;

  constructor(path: string) {
    const registered = JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
    this.byHash = new Map(Object.entries(registered).map(([hash, text]) => [hash.replace(/^sha256:/, ''), text]));
  }

  /** The body with the registered query filled in, or an error saying what to do. */
  resolve(body: Record<string, unknown>): Record<string, unknown> {
    const ext = body.extensions as { persistedQuery?: { sha256Hash?: string } } | undefined;
    const id = (typeof body.documentId === 'string' ? body.documentId : ext?.persistedQuery?.sha256Hash)?.replace(/^sha256:/, '');
    const query = typeof body.query === 'string' ? body.query : id ? this.byHash.get(id) : undefined;
    if (!query || !this.byHash.has(id ?? sha256(query))) {
      throw new GraphQLError(
        'This gateway runs registered operations only; the operation is not registered. Register it, then send its documentId (sha256 of the document).',
        {
          extensions: { code: ErrorCode.OPERATION_LIMIT, limit: 'persisted', http: { status: 400 } },
        },
      );
    }
    // Hand Apollo a plain request: the document in full, no persisted-query extension to re-check.
    const { documentId: _d, extensions, ...rest } = body;
    const { persistedQuery: _p, ...otherExtensions } = (extensions ?? {}) as Record<string, unknown>;
    return { ...rest, query, ...(Object.keys(otherExtensions).length ? { extensions: otherExtensions } : {}) };
  }
}
