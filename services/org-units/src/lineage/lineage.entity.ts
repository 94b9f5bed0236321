import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar } from '@thads/kit';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export enum LineageKind {
  MERGED_INTO = 'MERGED_INTO',
  SPLIT_FROM = 'SPLIT_FROM',
  RENAMED = 'RENAMED',
  CONTINUED_AS = 'CONTINUED_AS',
}

registerEnumType(LineageKind, {
  name: 'LineageKind',
  description: 'How an old unit leads to a new one.',
  valuesConfig: {
    MERGED_INTO: { description: 'The old unit was merged, with others, into the new one.' },
    SPLIT_FROM: { description: 'The new unit was split from the old one.' },
    RENAMED: { description: 'The same territory under a new name.' },
    CONTINUED_AS: { description: 'The same territory and name, carried on by a new unit record after a reorganization.' },
  },
});

@Entity({ name: 'lineage' })
@Index(['fromUnitId'])
@Index(['toUnitId'])
@ObjectType({ description: 'An edge of lineage: from an old unit to the unit that continues it, on a date.' })
export class Lineage {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'int', name: 'from_unit_id' })
  fromUnitId!: number;

  @Column({ type: 'int', name: 'to_unit_id' })
  toUnitId!: number;

  @Column({ type: 'text' })
  @Field(() => LineageKind, { description: 'What happened.' })
  kind!: LineageKind;

  @Column({ type: 'date', name: 'effective_on' })
  @Field(() => DateScalar, { description: 'Date the change took effect (YYYY-MM-DD).' })
  effectiveOn!: string;
}
