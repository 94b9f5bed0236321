import type { DataSource } from 'typeorm';
import type { LocalDate } from '@thads/kit';
import { OrgUnit } from './org-unit.entity';
import type { OrgUnitType } from './org-unit-type';
import { nameSearchTexts } from './paging/name-abbreviations';

const VALID_ON = (alias: string, param: string) =>
  `${alias}.valid_from <= ${param}::date AND (${alias}.valid_to IS NULL OR ${alias}.valid_to > ${param}::date)`;

/** `text` with LIKE's wildcards escaped. */
const literal = (text: string) => text.replace(/[%_\\]/g, (c) => `\\${c}`);
const containing = (text: string) => `%${literal(text)}%`;

/**
 * The units below some roots on a date, each with the root it is under: a recursive walk down
 * parent_id, as a WITH clause (`tree(root, id)`) for a statement to select from.
 */
const TREE = (roots: string, date: string) => `WITH RECURSIVE tree(root, id) AS (
  SELECT c.parent_id, c.id FROM org_units.org_unit c WHERE c.parent_id = ANY(${roots}) AND ${VALID_ON('c', date)}
  UNION ALL
  SELECT t.root, c.id FROM org_units.org_unit c JOIN tree t ON c.parent_id = t.id WHERE ${VALID_ON('c', date)}
)`;

/** Below a unit: its children (`parent`) or every unit under it (`within`). */
export type Below = 'parent' | 'within';

/** What a connection's units must satisfy; every condition given holds (several parents or ancestors: all of them). */
export interface UnitConditions {
  validOn: LocalDate;
  type?: OrgUnitType;
  parentIds: number[];
  withinIds: number[];
  name?: string;
}

/** SQL over org_units: the resolvers and loaders reach the database only through here. */
export class OrgUnitRepository {
  constructor(private readonly db: DataSource) {}

  private get repo() {
    return this.db.getRepository(OrgUnit);
  }

  byIds(ids: readonly number[]): Promise<OrgUnit[]> {
    return this.repo.createQueryBuilder('u').where('u.id = ANY(:ids)', { ids }).getMany();
  }

  /** The unit with each code valid on `asOf`. */
  byCodes(codes: readonly string[], asOf: LocalDate): Promise<OrgUnit[]> {
    return this.repo.createQueryBuilder('u').where('u.code = ANY(:codes)', { codes }).andWhere(VALID_ON('u', ':asOf'), { asOf }).getMany();
  }

  /** Children of many parents valid on one date, in one statement. */
  childrenOf(parentIds: readonly number[], asOf: LocalDate): Promise<OrgUnit[]> {
    return this.repo
      .createQueryBuilder('u')
      .where('u.parent_id = ANY(:parentIds)', { parentIds })
      .andWhere(VALID_ON('u', ':asOf'), { asOf })
      .orderBy('u.name', 'ASC')
      .getMany();
  }

  ofType(type: OrgUnitType, asOf: LocalDate): Promise<OrgUnit[]> {
    return this.repo.createQueryBuilder('u').where('u.type = :type', { type }).andWhere(VALID_ON('u', ':asOf'), { asOf }).orderBy('u.name', 'ASC').getMany();
  }

  /** Every unit under `id` in the hierarchy valid on `asOf`, nearest levels first. */
  async descendantsOf(id: number, asOf: LocalDate, type: OrgUnitType | null): Promise<OrgUnit[]> {
    const rows: { id: number }[] = await this.db.query(
      `WITH RECURSIVE tree(id, depth) AS (
         SELECT u.id, 0 FROM org_units.org_unit u WHERE u.id = $1
         UNION ALL
         SELECT c.id, t.depth + 1 FROM org_units.org_unit c JOIN tree t ON c.parent_id = t.id
         WHERE ${VALID_ON('c', '$2')}
       )
       SELECT t.id FROM tree t JOIN org_units.org_unit u ON u.id = t.id
       WHERE t.depth > 0 AND ($3::text IS NULL OR u.type = $3)
       ORDER BY t.depth, u.name`,
      [id, asOf, type],
    );
    const units = await this.byIds(rows.map((r) => r.id));
    const byId = new Map(units.map((u) => [u.id, u]));
    return rows.map((r) => byId.get(r.id)!);
  }

  /** Units whose name contains the text, with or without diacritics; valid on `asOf` when given. */
  search(text: string, asOf: LocalDate | null, type: OrgUnitType | null, limit: number): Promise<OrgUnit[]> {
    const texts = nameSearchTexts(text);
    const qb = this.repo
      .createQueryBuilder('u')
      .where(`u.name_folded LIKE ANY(:patterns)`, { patterns: texts.map(containing) })
      .orderBy('CASE WHEN u.name_folded LIKE ANY(:prefixes) THEN 0 ELSE 1 END', 'ASC')
      .addOrderBy('u.type', 'ASC')
      .addOrderBy('u.name', 'ASC')
      .setParameter(
        'prefixes',
        texts.map((t) => `${literal(t)}%`),
      )
      .limit(limit);
    if (asOf) qb.andWhere(VALID_ON('u', ':asOf'), { asOf });
    if (type) qb.andWhere('u.type = :type', { type });
    return qb.getMany();
  }

  /** Every unit meeting the conditions, unsorted: the connections sort and cut pages in memory (a few thousand units at most). */
  matching(conditions: UnitConditions): Promise<OrgUnit[]> {
    return this.matchingQuery(conditions).getMany();
  }

  /**
   * The units meeting the conditions below each of several units, by their ids: directly
   * below (`parent`) or at any depth (`within`). One statement for the children of them all,
   * two for their descendants (the tree with its roots, then the units): what a connection
   * on each unit of a list costs together.
   */
  async matchingBelow(conditions: UnitConditions, below: Below, ownerIds: readonly number[]): Promise<Map<number, OrgUnit[]>> {
    const out = new Map<number, OrgUnit[]>(ownerIds.map((id) => [id, []]));
    if (below === 'parent') {
      const units = await this.matchingQuery(conditions).andWhere('u.parent_id = ANY(:owners)', { owners: ownerIds }).getMany();
      for (const u of units) out.get(u.parentId!)?.push(u);
      return out;
    }
    const tree = (await this.db.query(`${TREE('$1::int[]', '$2')} SELECT root, id FROM tree`, [ownerIds, conditions.validOn])) as {
      root: number;
      id: number;
    }[];
    if (!tree.length) return out;
    const units = await this.matchingQuery(conditions)
      .andWhere('u.id = ANY(:ids)', { ids: [...new Set(tree.map((t) => t.id))] })
      .getMany();
    const byId = new Map(units.map((u) => [u.id, u]));
    for (const { root, id } of tree) {
      const unit = byId.get(id);
      if (unit) out.get(root)?.push(unit);
    }
    return out;
  }

  private matchingQuery(conditions: UnitConditions) {
    const qb = this.repo.createQueryBuilder('u').where(VALID_ON('u', ':validOn'), { validOn: conditions.validOn });
    if (conditions.type) qb.andWhere('u.type = :type', { type: conditions.type });
    conditions.parentIds.forEach((id, i) => qb.andWhere(`u.parent_id = :parent${i}`, { [`parent${i}`]: id }));
    conditions.withinIds.forEach((id, i) =>
      qb.andWhere(`u.id IN (${TREE(`ARRAY[:within${i}]::int[]`, ':validOn')} SELECT id FROM tree)`, { [`within${i}`]: id }),
    );
    if (conditions.name) qb.andWhere('u.name_folded LIKE ANY(:names)', { names: nameSearchTexts(conditions.name).map(containing) });
    return qb;
  }
}
