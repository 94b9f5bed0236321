import DataLoader from 'dataloader';
import type { DataSource, EntityManager } from 'typeorm';
import { ErrorCode, userError } from '../graphql/errors';
import type { Family, Identity } from './identity';
import { prepared } from '../db/prepared';
import { isUnitId, type WriteScope } from '../write/event-checks';
import { ChangeNames } from '../write/outbox';

/** The ministry's unit: the root of the nation. */
const NATION = 1;

const forbidden = (message: string, details: Record<string, unknown> = {}) => userError(ErrorCode.FORBIDDEN, message, details);

/**
 * What one caller may read and write, checked in the subgraph itself. A unit is in scope
 * when one of the identity's root units covers it on some date (its subtree, with old units
 * through lineage), read from org-units' rollup edges.
 */
export class Access implements WriteScope {
  private readonly ancestors: DataLoader<number, Set<number>>;
  /** The change notices this request's writes cause, named for the gateway (kit write/outbox). */
  readonly changes = new ChangeNames();

  constructor(
    db: DataSource,
    readonly identity: Identity,
  ) {
    this.ancestors = new DataLoader(async (ids) => {
      const rows = (await db.query(
        `SELECT descendant_id, array_agg(DISTINCT ancestor_id) AS a FROM org_units.rollup_edge WHERE descendant_id = ANY($1::int[]) GROUP BY descendant_id`,
        [ids],
      )) as { descendant_id: number; a: number[] }[];
      const byId = new Map(rows.map((r) => [r.descendant_id, new Set([...r.a, r.descendant_id])]));
      return ids.map((id) => byId.get(id) ?? new Set([id]));
    });
  }

  get role() {
    return this.identity.role;
  }

  /** Whether the unit lies under one of the identity's root units. */
  async covers(unitId: number): Promise<boolean> {
    if (this.identity.role === 'ministry') return true;
    const ancestors = await this.ancestors.load(unitId);
    return this.identity.units.some((u) => ancestors.has(u));
  }

  private requireFamily(family: Family): void {
    if (this.identity.role === 'integrator' && !this.identity.families.includes(family)) {
      throw forbidden(`Your key does not grant the "${family}" fields. Ask for a key that grants them.`, { family });
    }
  }

  /** Whether every unit and family may be read (the ministry): no check to wait for. */
  readsEverything(): boolean {
    return this.identity.role === 'ministry';
  }

  /** Figures or records of a unit (and its subtree): the unit must be in scope. */
  async assertRead(unitId: number, family: Family): Promise<void> {
    if (this.identity.role === 'ministry') return;
    this.requireFamily(family);
    if (!(await this.covers(unitId))) {
      throw forbidden(`Unit ${unitId} is outside what you may read (${this.identity.role} of ${this.identity.units.join(', ') || 'no unit'}).`, {
        unitId: String(unitId),
      });
    }
  }

  /**
   * The structure (names, levels, lineage) of the ministry and the provinces is public to
   * every caller; below the provinces, only the caller's own subtree.
   */
  async canSeeUnit(unit: { id: number; type: string }): Promise<boolean> {
    if (this.identity.role === 'ministry' || unit.type === 'MINISTRY' || unit.type === 'PROVINCE') return true;
    return this.covers(unit.id);
  }

  /** A unit's own fields (name, level, links): FORBIDDEN when not visible to the caller. */
  async assertSee(unit: { id: number; type: string }): Promise<void> {
    if (this.identity.role === 'integrator') this.requireFamily('units');
    if (!(await this.canSeeUnit(unit)))
      throw forbidden(`Unit ${unit.id} is outside what you may read (${this.identity.role} of ${this.identity.units.join(', ') || 'no unit'}).`, {
        unitId: String(unit.id),
      });
  }

  /** The units of a list that the caller may see (lists are navigational: others are left out). */
  async visible<T extends { id: number; type: string }>(units: T[]): Promise<T[]> {
    if (this.identity.role === 'ministry') return units;
    if (this.identity.role === 'integrator') this.requireFamily('units');
    const keep = await Promise.all(units.map((u) => this.canSeeUnit(u)));
    return units.filter((_u, i) => keep[i]);
  }

  /** A national ranking: ministry, any province (the provinces' table only), or an integrator granted the nation. */
  assertRanking(level: string, family: Family): void {
    if (this.identity.role === 'ministry') return;
    if (this.identity.role === 'province' && level === 'PROVINCE') return;
    if (this.identity.role === 'integrator') {
      this.requireFamily(family);
      if (this.identity.units.includes(1)) return;
    }
    throw forbidden(
      this.identity.role === 'province'
        ? 'A province reads the national ranking of provinces only; other provinces’ wards and districts are not yours to rank.'
        : 'Rankings compare units nationwide; your access does not include them.',
      { level },
    );
  }

  /**
   * Whether the caller may record events at all (reporters only), before anything else: an
   * import asks it before it looks at the import folder, so that a read-only caller gets the
   * same refusal whether the file it names exists or not.
   */
  assertWriter(): void {
    if (this.identity.role !== 'reporter') throw forbidden('Only a reporter key or token may record events; yours is read-only.', { role: this.identity.role });
  }

  /** The units of the list the caller reports for (under one of its units), read through the write's transaction. */
  async writableUnits(unitIds: readonly number[], tx: EntityManager): Promise<Set<number>> {
    if (this.identity.role !== 'reporter') return new Set();
    // A reporter for the nation (the ministry's unit) may write anywhere: nothing to hide from
    // it, so an id that names no unit is left to the unit checks (UNIT_NOT_FOUND).
    if (this.identity.units.includes(NATION)) return new Set(unitIds);
    const ids = unitIds.filter(isUnitId);
    const rows = ids.length
      ? ((await prepared(
          tx,
          `SELECT DISTINCT descendant_id AS id FROM org_units.rollup_edge WHERE descendant_id = ANY($1::int[]) AND ancestor_id = ANY($2::int[])`,
          [ids, this.identity.units],
        )) as { id: number }[])
      : [];
    const allowed = new Set(rows.map((r) => r.id));
    for (const id of unitIds) if (this.identity.units.includes(id)) allowed.add(id);
    return allowed;
  }

  /** Settings of the ministry (targets, closing periods). */
  assertMinistry(what: string): void {
    if (this.identity.role !== 'ministry') throw forbidden(`Only the ministry may ${what}.`, { role: this.identity.role });
  }
}
