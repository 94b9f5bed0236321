import type { Logger } from 'pino';
import type { Change } from './change-feed';
import type { UnitAncestry } from './unit-ancestry';

/**
 * The notifications of one burst turned into one change event, on either transport: a
 * flush runs once the notifications already received are read (right after the turn that
 * read the first), after any flush still in
 * progress, collects the units changed since the last one, and announces them with every
 * unit they count towards (one hierarchy read for the burst). A failed read announces a
 * refresh of everything, so nothing is missed.
 */
export class ChangeBurst {
  private timer?: NodeJS.Immediate;
  private flushing: Promise<void> = Promise.resolve();
  /** When the first notification not yet flushed arrived. */
  private firstAt?: number;

  constructor(
    /** The units changed since the last flush (the transport's own pending notifications). */
    private readonly collect: () => Promise<Iterable<number>>,
    private readonly ancestry: UnitAncestry,
    private readonly emit: (change: Change) => void,
    private readonly logger: Logger,
  ) {}

  /** A notification arrived. */
  touch(): void {
    this.firstAt ??= Date.now();
    this.timer ??= setImmediate(() => {
      this.timer = undefined;
      this.flushing = this.flushing.then(() => this.flush());
    });
  }

  stop(): void {
    clearImmediate(this.timer);
  }

  private async flush(): Promise<void> {
    const noticedAt = this.firstAt;
    this.firstAt = undefined;
    try {
      const changed = [...(await this.collect())];
      if (!changed.length) return;
      const affected = await this.ancestry.of(changed);
      if (affected.size) this.emit({ kind: 'units', unitIds: affected, noticedAt });
    } catch (err) {
      this.logger.error({ err: (err as Error).message }, 'reading the changes failed; refreshing every live query');
      this.emit({ kind: 'all', reason: 'change read failed', noticedAt });
    }
  }
}
