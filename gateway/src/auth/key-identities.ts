import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { identityOfApiKey, type Identity } from '@thads/kit';
import { REVOCATION_REFRESH_MS } from './revocation-list';

/** Keys kept at most: an integrator's portal uses a handful; the oldest go first. */
const KEYS_KEPT = 10_000;

/**
 * The identities of API keys, looked up in the database and kept for as long as a revoked
 * token is still honoured (REVOCATION_REFRESH_MS): a revoked key stops working within that, as
 * a token does, and a busy integrator's requests no longer cost a database round trip each
 * (answered from the answer cache, that round trip was most of a request). Kept under a hash of
 * the presented key, never the key itself. Lookups of one key at the same time share one; a
 * key that fails, or a lookup that errs, is looked up again next time (the failure limiter
 * guards those).
 */
export class KeyIdentities {
  private readonly kept = new Map<string, { identity: Promise<Identity | null>; at: number }>();

  constructor(
    private readonly db: Pick<Pool, 'query'>,
    private readonly keepMs = REVOCATION_REFRESH_MS,
  ) {}

  identityOf(presented: string, now = Date.now()): Promise<Identity | null> {
    const id = createHash('sha256').update(presented).digest('base64');
    const hit = this.kept.get(id);
    if (hit && now - hit.at < this.keepMs) return hit.identity;
    const identity = identityOfApiKey(this.db, presented);
    this.kept.delete(id); // re-inserted last: the map's order is the age of its entries
    this.kept.set(id, { identity, at: now });
    if (this.kept.size > KEYS_KEPT) this.kept.delete(this.kept.keys().next().value!);
    const forget = () => {
      if (this.kept.get(id)?.identity === identity) this.kept.delete(id);
    };
    identity.then((found) => found || forget(), forget);
    return identity;
  }
}
