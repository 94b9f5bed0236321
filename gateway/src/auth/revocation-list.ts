import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { ensureRevokedTokenTable, revokedTokenIds } from '@thads/kit';

/** How often the list is read again: a revoked token stops working within this (and open sockets close). */
export const REVOCATION_REFRESH_MS = 2000;

/**
 * The jtis of revoked bearer tokens (`hub keys --action revoke-token`), read from the database
 * at start and every couple of seconds: a lookup per request costs nothing, and the table
 * stays small (a row may go once its token has expired). Those newly seen are told to the
 * listeners, which close the live connections of those tokens. When a refresh fails, the
 * list read last is kept and the failure logged.
 */
export class RevocationList {
  private revoked = new Set<string>();
  private readonly listeners = new Set<(jtis: string[]) => void>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly db: Pool,
    private readonly logger: Logger,
    private readonly refreshMs = REVOCATION_REFRESH_MS,
  ) {}

  async start(): Promise<void> {
    await ensureRevokedTokenTable(this.db);
    await this.refresh();
    this.timer = setInterval(() => {
      this.refresh().catch((err: unknown) =>
        this.logger.warn({ err: (err as Error).message }, 'could not read the revoked tokens; the last list stays in force'),
      );
    }, this.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  has(jti: string): boolean {
    return this.revoked.has(jti);
  }

  /** Calls `listener` with the jtis revoked since the last refresh; returns the way to stop. */
  onRevoked(listener: (jtis: string[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async refresh(): Promise<void> {
    const now = new Set(await revokedTokenIds(this.db));
    const added = [...now].filter((jti) => !this.revoked.has(jti));
    this.revoked = now;
    if (added.length) for (const listener of this.listeners) listener(added);
  }
}
