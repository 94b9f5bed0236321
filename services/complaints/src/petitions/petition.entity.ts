import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { DateScalar } from '@thads/kit';

export enum PetitionKind {
  COMPLAINT = 'COMPLAINT',
  DENUNCIATION = 'DENUNCIATION',
  REQUEST = 'REQUEST',
  RECOMMENDATION = 'RECOMMENDATION',
}

/** Bucket numbers of complaint_month: 0 is every petition. */
export const PETITION_BUCKETS: readonly [PetitionKind, number][] = [
  [PetitionKind.COMPLAINT, 1],
  [PetitionKind.DENUNCIATION, 2],
  [PetitionKind.REQUEST, 3],
  [PetitionKind.RECOMMENDATION, 4],
];

registerEnumType(PetitionKind, {
  name: 'PetitionKind',
  description: 'The kind of a petition received from a citizen or organization.',
  valuesConfig: {
    COMPLAINT: { description: 'Khiếu nại: a complaint against a decision or act in enforcement.' },
    DENUNCIATION: { description: 'Tố cáo: a denunciation of a violation.' },
    REQUEST: { description: 'Yêu cầu: a request.' },
    RECOMMENDATION: { description: 'Kiến nghị, phản ánh: a recommendation or report.' },
  },
});

@Entity({ name: 'petition' })
@ObjectType({ description: 'A complaint, denunciation, request or recommendation and its resolution.' })
export class Petition {
  @PrimaryColumn({ type: 'bigint' })
  @Field(() => ID, { description: 'Petition id.' })
  id!: string;

  @Column({ type: 'int', name: 'unit_id' })
  unitId!: number;

  @Column({ type: 'text' })
  @Field(() => PetitionKind, { description: 'Kind of petition.' })
  kind!: PetitionKind;

  @Column({ type: 'date', name: 'received_on' })
  @Field(() => DateScalar, { description: 'Date received.' })
  receivedOn!: string;

  @Column({ type: 'date', name: 'resolved_on', nullable: true })
  @Field(() => DateScalar, { nullable: true, description: 'Date resolved; null while pending.' })
  resolvedOn!: string | null;
}
