import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar } from '@thads/kit';
import { OrgUnit } from '../org-unit.entity';
import { OrgUnitType } from '../org-unit-type';

export enum UnitOrderField {
  NAME = 'NAME',
  CODE = 'CODE',
  ID = 'ID',
}

registerEnumType(UnitOrderField, {
  name: 'UnitOrderField',
  description: 'What a list of units is sorted by.',
  valuesConfig: {
    NAME: { description: 'The name in Vietnamese alphabetical order (Ă after A, Đ after D, tones ignored before letters), as in the report forms.' },
    CODE: { description: 'The short code ("ha-noi"), character by character.' },
    ID: { description: 'The id, numerically.' },
  },
});

export enum OrderDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}

registerEnumType(OrderDirection, {
  name: 'OrderDirection',
  description: 'Ascending or descending.',
  valuesConfig: { ASC: { description: 'Smallest first (A to Z).' }, DESC: { description: 'Largest first (Z to A).' } },
});

@InputType({ description: 'Which units a connection lists. Every condition given must hold.' })
export class UnitFilter {
  @Field(() => OrgUnitType, { nullable: true, description: 'Only units of this level.' })
  type?: OrgUnitType;

  @Field(() => ID, { nullable: true, description: 'Only units directly under this unit.' })
  parent?: string;

  @Field(() => ID, { nullable: true, description: 'Only units below this unit, at any depth, in the hierarchy valid on `validOn`.' })
  within?: string;

  @Field(() => DateScalar, {
    nullable: true,
    description:
      "Only units that exist on this date (YYYY-MM-DD). Default: today in Vietnam; for a unit's children and descendants, the date its own hierarchy uses.",
  })
  validOn?: string;

  @Field({
    nullable: true,
    description:
      'Only units whose name contains this text, with or without diacritics ("ha noi" finds "Hà Nội"); common abbreviations are understood too ("hcm", "tp.hcm", "hn", "hp"; see docs/paging.md). At least 2 characters.',
  })
  name?: string;
}

@InputType({ description: 'How a connection sorts its units; ties are broken by id, so every order is total and cursors are stable.' })
export class UnitOrder {
  @Field(() => UnitOrderField, { defaultValue: UnitOrderField.NAME, description: 'The sort key. Default: NAME.' })
  field!: UnitOrderField;

  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC, description: 'The direction. Default: ASC.' })
  direction!: OrderDirection;
}

@ObjectType({ description: 'One unit of a page, with the cursor that points just after it.' })
export class OrgUnitEdge {
  @Field({ description: 'Opaque cursor of this unit in its order: pass it as `after` to continue after it.' })
  cursor!: string;

  @Field(() => OrgUnit, { description: 'The unit.' })
  node!: OrgUnit;
}

@ObjectType({ description: 'Where a page stands in its list.' })
export class PageInfo {
  @Field({ description: 'Whether units follow this page: ask again with `after: endCursor`.' })
  hasNextPage!: boolean;

  @Field({ description: 'Whether units precede this page (a cursor was given and it is not before the first unit).' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: "The first unit's cursor; null for an empty page." })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: "The last unit's cursor; null for an empty page." })
  endCursor!: string | null;
}

@ObjectType({ description: 'A page of units (Relay cursor connection): the units, their cursors, whether more follow and how many match in all.' })
export class OrgUnitConnection {
  @Field(() => [OrgUnitEdge], { description: 'The units of this page with their cursors.' })
  edges!: OrgUnitEdge[];

  @Field(() => [OrgUnit], { description: 'The units of this page, without cursors.' })
  nodes!: OrgUnit[];

  @Field(() => PageInfo, { description: 'Whether more units follow, and the cursors to continue from.' })
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'How many units match the filter in all pages (those the caller may see).' })
  totalCount!: number;
}
