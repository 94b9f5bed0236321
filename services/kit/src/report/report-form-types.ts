import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar } from '../graphql/scalars';

export enum ReportFormValueKind {
  COUNT = 'COUNT',
  VND = 'VND',
  RATE = 'RATE',
}

registerEnumType(ReportFormValueKind, {
  name: 'ReportFormValueKind',
  description: 'How the cells of a report form column are written.',
  valuesConfig: {
    COUNT: { description: 'A whole number (cases, petitions), digits only.' },
    VND: { description: 'An exact amount of dong, digits only (never rounded: read it as a big integer).' },
    RATE: { description: 'A percentage with two decimals and a dot ("88.38"); null when undefined (nothing to divide by).' },
  },
});

export enum ReportFormRowKind {
  TOTAL = 'TOTAL',
  OWN = 'OWN',
  SUBORDINATE = 'SUBORDINATE',
}

registerEnumType(ReportFormRowKind, {
  name: 'ReportFormRowKind',
  description: 'What a row of a report form covers.',
  valuesConfig: {
    TOTAL: { description: 'The unit and everything under it: the form’s total row (tổng số).' },
    OWN: {
      description:
        'What is recorded at the unit itself and at the former units that continue directly into it (lineage), outside its subordinate units: the total minus the subordinate rows.',
    },
    SUBORDINATE: { description: 'One unit directly under it on the hierarchy of `asOf`, with everything under that one.' },
  },
});

/** What every column of a table the API returns says of itself (a report form's, an indicator grid's): its headings and how its cells are written. */
@ObjectType()
export abstract class ColumnHeading {
  @Field(() => String, { description: 'Its heading in Vietnamese, as the report forms print it, e.g. "Năm trước chuyển sang".' })
  label!: string;

  @Field(() => String, { description: 'Its heading in English, e.g. "Carried over".' })
  labelEn!: string;

  @Field(() => ReportFormValueKind, { description: 'How its cells are written.' })
  kind!: ReportFormValueKind;
}

@Directive('@shareable')
@ObjectType({ description: 'One column of a report form: its heading as the form prints it, in English, and how its cells are written.' })
export class ReportFormColumn extends ColumnHeading {
  @Field(() => String, { description: 'Stable name for programs, e.g. "carriedOver".' })
  key!: string;
}

@Directive('@shareable')
@ObjectType({ description: 'One row of a report form: a unit (or the total) and one cell a column, in the order of `columns`.' })
export class ReportFormRow {
  @Field(() => ReportFormRowKind, { description: 'Total, the unit itself, or a subordinate unit.' })
  kind!: ReportFormRowKind;

  @Field(() => ID, { description: 'The unit the row is about (the form’s unit for TOTAL and OWN).' })
  unitId!: string;

  @Field(() => String, { description: 'The row’s heading as the form prints it: the unit’s name, "Tổng số" or "Tại <unit>".' })
  label!: string;

  @Field(() => [String], { nullable: 'items', description: 'One cell a column, exact: counts and VND as digits, rates as "88.38" (null when undefined).' })
  values!: (string | null)[];
}

@Directive('@shareable')
@ObjectType({
  description:
    'An official report form of the THADS statistics circular (05/2024) for a unit and a period: the total row, the unit’s own row and one row a subordinate unit (in Vietnamese alphabetical order), with the form’s columns.',
})
export class ReportForm {
  @Field(() => Int, { description: 'The form’s number in the circular: 1 results by case, 2 results by money, 8 complaints and denunciations.' })
  form!: number;

  @Field(() => String, { description: 'The form’s title in Vietnamese.' })
  title!: string;

  @Field(() => String, { description: 'The form’s title in English.' })
  titleEn!: string;

  @Field(() => ID, { description: 'The unit reported on.' })
  unitId!: string;

  @Field(() => String, { description: 'Its name, with diacritics.' })
  unitName!: string;

  @Field(() => DateScalar, { description: 'First day of the period.' })
  periodStart!: string;

  @Field(() => DateScalar, { description: 'Last day of the period.' })
  periodEnd!: string;

  @Field(() => DateScalar, { description: 'The date whose hierarchy the rows follow.' })
  asOf!: string;

  @Field(() => [ReportFormColumn], { description: 'The columns, in the form’s order.' })
  columns!: ReportFormColumn[];

  @Field(() => [ReportFormRow], { description: 'The total row first, then the unit’s own row, then the subordinate units.' })
  rows!: ReportFormRow[];
}
