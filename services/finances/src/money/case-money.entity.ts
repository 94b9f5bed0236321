import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { DateScalar, VndScalar } from '@thads/kit';

@Entity({ name: 'case_money' })
@ObjectType({ description: 'The money obligation of one enforcement case and what remains of it.' })
export class CaseMoney {
  @PrimaryColumn({ type: 'bigint', name: 'case_id' })
  @Field(() => ID, { description: 'Id of the enforcement case (the same as EnforcementCase.id).' })
  caseId!: string;

  @Column({ type: 'int', name: 'unit_id' })
  unitId!: number;

  @Column({ type: 'smallint' })
  @Field(() => Int, { description: 'Category flags: 1 state budget, 2 credit institution, 4 corruption/economic crime.' })
  categories!: number;

  @Column({ type: 'bigint' })
  @Field(() => VndScalar, { description: 'Amount to enforce, VND.' })
  amount!: string;

  @Column({ type: 'bigint' })
  @Field(() => VndScalar, { description: 'Amount still to enforce, VND.' })
  remaining!: string;

  @Column({ type: 'boolean' })
  @Field({ description: 'Whether the case is open.' })
  open!: boolean;

  @Column({ type: 'boolean' })
  @Field({ description: 'Whether the money is classified enforceable.' })
  enforceable!: boolean;

  @Column({ type: 'date', name: 'received_on' })
  @Field(() => DateScalar, { description: 'Date the obligation was received.' })
  receivedOn!: string;
}
