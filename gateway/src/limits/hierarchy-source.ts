import type { Logger } from 'pino';
import { HierarchySizes, STATIC_SIZES, type UnitRow } from './hierarchy-sizes';

type Query = (text: string) => Promise<{ rows: unknown[] }>;

const UNITS_SQL = `SELECT id, parent_id AS "parentId", type, to_char(valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(valid_to, 'YYYY-MM-DD') AS "validTo"
  FROM org_units.org_unit`;

/**
 * The hierarchy's real list sizes for the cost guard, read from org-units' table at start
 * (~4,000 rows), again when a rewrite is announced (a new hierarchy is announced as a change
 * of everything) and every few minutes besides, in case an announcement was missed. Until
 * the first read, and when reads fail, the static sizes serve: the guard never waits.
 */
export class HierarchySource {
  sizes: HierarchySizes = STATIC_SIZES;
  private timer?: NodeJS.Timeout;
  private reading?: Promise<void>;
  private again = false;

  constructor(
    private readonly query: Query,
    private readonly logger: Logger,
    private readonly everyMs = 5 * 60_000,
  ) {}

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.everyMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /**
   * Reads the units again; one read at a time, and a change announced during a read reads
   * once more after it (the read under way may have started before the change committed). A
   * failed read keeps the sizes known.
   */
  refresh(): Promise<void> {
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = (async () => {
      do {
        this.again = false;
        try {
          const { rows } = await this.query(UNITS_SQL);
          this.sizes = HierarchySizes.fromUnits(rows as UnitRow[]);
        } catch (err) {
          this.logger.warn({ err: (err as Error).message }, 'could not read the unit hierarchy for the cost guard; the sizes known before serve');
        }
      } while (this.again);
      this.reading = undefined;
    })();
    return this.reading;
  }
}
