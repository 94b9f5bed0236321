import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { DateScalar } from '@thads/kit';

@Entity({ name: 'enforcement_case' })
@ObjectType('EnforcementCase', { description: 'A civil judgment enforcement case (việc thi hành án) and where it stands.' })
export class EnforcementCase {
  @PrimaryColumn({ type: 'bigint' })
  @Field(() => ID, { description: 'Case id.' })
  id!: string;

  @Column({ type: 'int', name: 'unit_id' })
  unitId!: number;

  @Column({ type: 'text', name: 'judgment_ref' })
  @Field({ description: 'Reference of the judgment or decision enforced, e.g. "123/2024/DS-ST".' })
  judgmentRef!: string;

  @Column({ type: 'date', name: 'received_on' })
  @Field(() => DateScalar, { description: 'Date the case was received (thụ lý).' })
  receivedOn!: string;

  @Column({ type: 'smallint' })
  @Field(() => Int, { description: 'Category flags: 1 state budget, 2 credit institution, 4 corruption/economic crime.' })
  categories!: number;

  @Column({ type: 'text' })
  @Field({ description: 'OPEN, POSTPONED, SUSPENDED, DONE, ENTRUSTED_OUT, WITHDRAWN or SEPARATE_BOOK.' })
  status!: string;

  @Column({ type: 'boolean', nullable: true })
  @Field(() => Boolean, { nullable: true, description: 'Whether the case is classified enforceable (có điều kiện thi hành); null until classified.' })
  enforceable!: boolean | null;

  @Column({ type: 'date', name: 'status_on' })
  @Field(() => DateScalar, { description: 'Date of the last change of status.' })
  statusOn!: string;
}
