import type { Logger } from 'pino';
import { EVERYTHING, type ChangeNotice } from '@thads/kit';
import type { PgNotices } from '../changes/pg-notices';
import { FIGURE_SCHEMAS } from '../live/change-feed';
import { UnitAncestry } from '../live/unit-ancestry';
import type { AnswerCache } from './answer-cache';

/**
 * Keeps the answer cache current from the change notices: each notice, in order, drops the
 * answers that read a unit whose figures it changes (the changed units and every unit they
 * count in, on any date); a rewrite of everything, or a lost connection, drops them all and
 * stops the cache until the connection is back. `settled()` resolves once every notice heard
 * so far has been applied.
 */
export class CacheInvalidation {
  private applying: Promise<void> = Promise.resolve();
  private readonly ancestry: UnitAncestry;

  constructor(
    private readonly notices: PgNotices,
    private readonly cache: AnswerCache,
    private readonly logger: Logger,
  ) {
    this.ancestry = new UnitAncestry((text, values) => this.notices.query(text, values));
    notices.on('notice', (notice: ChangeNotice) => this.enqueue(() => this.apply(notice)));
    notices.on('disconnected', () => cache.setEnabled(false));
    notices.on('connected', () => this.enqueue(async () => cache.setEnabled(true)));
  }

  /** After a mutation: every change committed before now has been heard and applied. */
  async settled(): Promise<void> {
    const heard = await this.notices.barrier();
    await this.applying;
    // Without the barrier nothing can be vouched for: answers read before it are dropped.
    if (!heard) this.cache.invalidate('all');
  }

  private enqueue(step: () => Promise<void>): void {
    this.applying = this.applying.then(step).catch((err: unknown) => {
      this.logger.error({ err }, 'applying a change to the answer cache failed; dropping every answer');
      this.cache.invalidate('all');
    });
  }

  private async apply(notice: ChangeNotice): Promise<void> {
    if (notice.schema === EVERYTHING) {
      this.ancestry.forget();
      this.cache.invalidate('all');
      return;
    }
    if (!FIGURE_SCHEMAS.has(notice.schema)) return;
    const units = notice.unitIds ?? ((await this.notices.query(`SELECT unit_ids FROM ${notice.schema}.outbox WHERE id = $1`, [notice.outboxId])).rows[0] as { unit_ids?: number[] } | undefined)?.unit_ids;
    if (!units) {
      this.cache.invalidate('all');
      return;
    }
    this.cache.invalidate(await this.ancestry.of(units));
  }
}
