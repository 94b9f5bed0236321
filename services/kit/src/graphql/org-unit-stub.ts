import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';

/** One description of `OrgUnit` for every subgraph that extends it, so composition has no conflict. */
export const ORG_UNIT_DESCRIPTION =
  'An organizational unit of the civil judgment enforcement system: the ministry, a province, a (historic) district or a ward. Units are versioned: a unit is valid from `validFrom` to `validUntil`, and lineage edges lead from old units to the ones that continue them.';
export const ORG_UNIT_ID_DESCRIPTION = 'Stable id of the unit (a whole number written as a string).';

/**
 * A subgraph's stub of the org-units entity, which it extends with its own figures:
 * `OrgUnit` keyed by id, described as org-units describes it (so composition sees no
 * conflict), and the reference resolver that turns a key into it. A new class a call:
 * each subgraph's field resolvers stay on a type-graphql target of their own, also when
 * `hub compose` builds the four schemas in one process.
 */
export function orgUnitStub() {
  @ObjectType('OrgUnit', { description: ORG_UNIT_DESCRIPTION })
  @Directive('@key(fields: "id")')
  class OrgUnit {
    @Field(() => ID, { description: ORG_UNIT_ID_DESCRIPTION })
    id!: string;
  }
  const reference = { OrgUnit: { __resolveReference: (ref: { id: string }): OrgUnit => ({ id: ref.id }) } };
  return { OrgUnit, reference };
}

/** The categories that reports break case and money figures down by (bucket numbers 1–3). */
export enum CaseCategoryName {
  STATE_BUDGET = 'STATE_BUDGET',
  CREDIT_INSTITUTION = 'CREDIT_INSTITUTION',
  CORRUPTION_ECONOMIC = 'CORRUPTION_ECONOMIC',
}

export const CATEGORY_BUCKETS: readonly [CaseCategoryName, number][] = [
  [CaseCategoryName.STATE_BUDGET, 1],
  [CaseCategoryName.CREDIT_INSTITUTION, 2],
  [CaseCategoryName.CORRUPTION_ECONOMIC, 3],
];

registerEnumType(CaseCategoryName, {
  name: 'CaseCategory',
  description: 'A category that case and money figures are broken down by; a case may be in several or none.',
  valuesConfig: {
    STATE_BUDGET: { description: 'Revenue for the state budget (thu cho ngân sách nhà nước).' },
    CREDIT_INSTITUTION: { description: 'Debts owed to credit institutions and banks.' },
    CORRUPTION_ECONOMIC: { description: 'Criminal cases of corruption and economic crime (asset recovery).' },
  },
});

/** SQL for the buckets a row's category flags put it in: 0 (all) and one per flag set. */
export function categoryBucketsSql(categoriesColumn: string): string {
  return `ARRAY[0]
    || CASE WHEN ${categoriesColumn} & 1 > 0 THEN ARRAY[1] ELSE '{}'::int[] END
    || CASE WHEN ${categoriesColumn} & 2 > 0 THEN ARRAY[2] ELSE '{}'::int[] END
    || CASE WHEN ${categoriesColumn} & 4 > 0 THEN ARRAY[3] ELSE '{}'::int[] END`;
}

/** Category names → the bitmask stored with a case; an unknown name throws with the list. */
export function categoryMask(names: readonly string[], onUnknown: (name: string) => never): number {
  let mask = 0;
  for (const name of names) {
    const index = CATEGORY_BUCKETS.findIndex(([n]) => n === name);
    if (index < 0) onUnknown(name);
    mask |= 1 << index;
  }
  return mask;
}
