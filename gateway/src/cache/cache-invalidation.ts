import type { Logger } from 'pino';
import { EVERYTHING, msToNextVietnamMidnight, type ChangeNotice } from '@thads/kit';
import type { PgNotices } from '../changes/pg-notices';
import { FIGURE_SCHEMAS } from '../live/change-feed';
import { ancestryOn, type UnitAncestry } from '../live/unit-ancestry';
import type { AnswerCache } from './answer-cache';
import type { CacheChange, ChangeLog } from './change-log';
import type { FetchCache } from './fetch-cache';

/**
 * Keeps the caches current from the change notices: each notice, in order, is recorded in the
 * change log and drops what it touches in the answer and fetch caches: in the subgraph that
 * owns the outbox (cases, finances, complaints), the changed units and every unit they count
 * in, on any date. A rewrite of everything, or a lost connection, drops them all, and the
 * caches stay off until the connection is back. `settled()` resolves once every change
 * committed so far has been applied, `afterWrites(names)` once the named ones have, and
 * `heard()` once every notice heard so far has.
 */
export class CacheInvalidation {
  private applying: Promise<void> = Promise.resolve();
  private readonly ancestry: UnitAncestry;
  private midnight?: NodeJS.Timeout;
  /** Mutations answered on the notices they named, without a barrier. */
  settledByName = 0;

  constructor(
    private readonly notices: PgNotices,
    private readonly log: ChangeLog,
    private readonly answers: AnswerCache,
    private readonly fetches: FetchCache,
    private readonly logger: Logger,
  ) {
    this.ancestry = ancestryOn(notices);
    notices.on('notice', (notice: ChangeNotice) => this.enqueue(() => this.applyNotice(notice)));
    notices.on('disconnected', () => this.setEnabled(false));
    notices.on('connected', () => {
      this.ancestry.warm();
      this.enqueue(async () => this.setEnabled(true));
    });
    this.dropAtMidnight();
  }

  /**
   * Answers that read "today" (a default `asOf`, the units valid now) change at midnight in
   * Vietnam without any notice: everything kept is dropped then, once a day.
   */
  private dropAtMidnight(): void {
    this.midnight = setTimeout(() => {
      this.enqueue(async () => this.apply('all'));
      this.dropAtMidnight();
    }, msToNextVietnamMidnight() + 10);
    this.midnight.unref();
  }

  /** The gateway stops: no more drops at midnight. */
  stop(): void {
    clearTimeout(this.midnight);
  }

  /** After a mutation: every change committed before now has been heard and applied. */
  async settled(): Promise<void> {
    const heard = await this.notices.barrier();
    await this.applying;
    // Without the barrier nothing can be vouched for: what was kept before it is dropped.
    if (!heard) this.apply('all');
  }

  /**
   * After a mutation whose subgraphs named the notices of its writes: resolves once those
   * have been heard and applied, so that the writer's next read includes its writes. A notice
   * sent at the write's commit has almost always arrived with the subgraph's answer: heard
   * already, or read in the same turn of the event loop, so heard one turn later, and no
   * barrier is needed. If any has not (a slow delivery, a rolled-back write, a mutation that
   * named none or whose answer was lost), the barrier decides.
   */
  async afterWrites(names: readonly string[] | undefined): Promise<void> {
    if (names?.length && this.notices.connected) {
      const allHeard = () => names.every((name) => this.notices.hasHeard(name));
      if (!allHeard()) await new Promise((resolve) => setImmediate(resolve));
      if (allHeard()) {
        this.settledByName++;
        return this.applying;
      }
    }
    return this.settled();
  }

  /**
   * Every notice heard so far has been applied: for a reader that heard of its changes on this
   * same connection (the live layer's change feed), whose listener runs after this one's.
   */
  async heard(): Promise<void> {
    await this.applying;
  }

  private setEnabled(enabled: boolean): void {
    if (!enabled) this.apply('all');
    this.answers.setEnabled(enabled);
    this.fetches.enabled = enabled;
  }

  private apply(change: CacheChange): void {
    this.log.record(change);
    this.answers.invalidate(change);
    this.fetches.invalidate(change);
  }

  private enqueue(step: () => Promise<void>): void {
    this.applying = this.applying.then(step).catch((err: unknown) => {
      this.logger.error({ err }, 'applying a change to the caches failed; dropping everything kept');
      this.apply('all');
    });
  }

  private async applyNotice(notice: ChangeNotice): Promise<void> {
    if (notice.schema === EVERYTHING) {
      this.ancestry.forget();
      this.apply('all');
      return;
    }
    if (!FIGURE_SCHEMAS.has(notice.schema)) return;
    let { unitIds: units, from } = notice;
    if (!units) {
      const row = (await this.notices.query(`SELECT unit_ids, from_date::text AS from FROM ${notice.schema}.outbox WHERE id = $1`, [notice.outboxId]))
        .rows[0] as { unit_ids: number[]; from: string } | undefined;
      units = row?.unit_ids;
      from = row?.from;
    }
    // The outbox schemas are named as the subgraphs that own them.
    this.apply(units ? { subgraph: notice.schema, units: await this.ancestry.of(units), from } : 'all');
  }
}
