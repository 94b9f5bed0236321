import type { DataSource } from 'typeorm';
import { ErrorCode, announceRewrite, userError, type NamesChanges } from '@thads/kit';

/** How long a close keeps trying to find no write under way before it gives up (one may be an import). */
const CLOSE_TRIES_MS = 10_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class CalendarRepository {
  constructor(private readonly db: DataSource) {}

  async closedThrough(): Promise<string | null> {
    const [row] = (await this.db.query(`SELECT max(closed_through)::text AS d FROM org_units.reporting_close`)) as { d: string | null }[];
    return row?.d ?? null;
  }

  /**
   * Closes the periods through `through`, once no write is under way: a writer reads the
   * calendar in its own transaction (event-checks.ts), which holds the table's lowest lock
   * until it commits, and the close takes the highest. A write after the close reads
   * the new calendar, one before it is in the figures before the close: no event lands in a
   * period closed while it was being written. `check` sees the calendar as it is under the lock.
   * The answer is announced like a rewrite, so that no gateway keeps the old calendar.
   */
  async close(through: string, check: (current: string | null) => void, scope: NamesChanges): Promise<string> {
    // The lock is asked for without waiting, again and again: a close waiting in PostgreSQL's
    // lock queue would hold up every write that reads the calendar behind it.
    const giveUpAt = Date.now() + CLOSE_TRIES_MS;
    for (let pause = 20; ; pause = Math.min(pause * 2, 500)) {
      try {
        return await this.db.transaction(async (tx) => {
          await tx.query(`LOCK TABLE org_units.reporting_close IN ACCESS EXCLUSIVE MODE NOWAIT`);
          const [row] = (await tx.query(`SELECT max(closed_through)::text AS d FROM org_units.reporting_close`)) as { d: string | null }[];
          const current = row?.d ?? null;
          check(current);
          await tx.query(`INSERT INTO org_units.reporting_close (closed_through) VALUES ($1) ON CONFLICT DO NOTHING`, [through]);
          await announceRewrite(tx, scope);
          return current && current > through ? current : through;
        });
      } catch (err) {
        if ((err as { code?: string }).code !== '55P03') throw err;
        if (Date.now() + pause > giveUpAt)
          throw userError(
            ErrorCode.DATABASE_UNAVAILABLE,
            `Writes were still under way after ${CLOSE_TRIES_MS / 1000} s (an import, say); nothing was closed. Try again in a minute.`,
          );
        await sleep(pause);
      }
    }
  }
}
