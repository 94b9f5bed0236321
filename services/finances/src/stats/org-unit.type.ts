import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { ORG_UNIT_DESCRIPTION, ORG_UNIT_ID_DESCRIPTION } from '@thads/kit';

/** The org-units entity, extended here with money figures. */
@ObjectType('OrgUnit', { description: ORG_UNIT_DESCRIPTION })
@Directive('@key(fields: "id")')
export class OrgUnit {
  @Field(() => ID, { description: ORG_UNIT_ID_DESCRIPTION })
  id!: string;
}

export const orgUnitReference = {
  OrgUnit: { __resolveReference: (ref: { id: string }): OrgUnit => ({ id: ref.id }) },
};
