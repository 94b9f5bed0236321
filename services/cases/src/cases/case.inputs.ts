import { Field, ID, InputType, registerEnumType } from 'type-graphql';
import { CaseCategoryName, DateScalar } from '@thads/kit';

export enum CaseEventKindInput {
  CLASSIFIED_ENFORCEABLE = 'CLASSIFIED_ENFORCEABLE',
  CLASSIFIED_NOT_ENFORCEABLE = 'CLASSIFIED_NOT_ENFORCEABLE',
  POSTPONED = 'POSTPONED',
  SUSPENDED = 'SUSPENDED',
  RESUMED = 'RESUMED',
  COMPLETED = 'COMPLETED',
  TERMINATED = 'TERMINATED',
  ENTRUSTED_OUT = 'ENTRUSTED_OUT',
  WITHDRAWN = 'WITHDRAWN',
  SEPARATE_BOOK = 'SEPARATE_BOOK',
}

registerEnumType(CaseEventKindInput, {
  name: 'CaseEventKind',
  description: 'What happens to a case after it is received.',
  valuesConfig: {
    CLASSIFIED_ENFORCEABLE: { description: 'Classified enforceable (có điều kiện thi hành), or back to it.' },
    CLASSIFIED_NOT_ENFORCEABLE: { description: 'Classified not yet enforceable (chưa có điều kiện thi hành).' },
    POSTPONED: { description: 'Enforcement postponed (hoãn); the case stays open.' },
    SUSPENDED: { description: 'Enforcement temporarily suspended (tạm đình chỉ); the case stays open.' },
    RESUMED: { description: 'A postponed or suspended case resumes.' },
    COMPLETED: { description: 'Fully executed (thi hành xong); needs an enforceable case.' },
    TERMINATED: { description: 'Terminated for all obligations (đình chỉ); counts as done.' },
    ENTRUSTED_OUT: { description: 'Entrusted to another agency (ủy thác); deducted here.' },
    WITHDRAWN: { description: 'Enforcement decision revoked or cancelled; deducted.' },
    SEPARATE_BOOK: { description: 'Moved to the separate tracking book (sổ theo dõi riêng).' },
  },
});

@InputType({ description: 'A case received by a unit.' })
export class ReceiveCaseInput {
  @Field(() => ID, { description: 'The receiving unit: a province, district (before 2025-07-01) or ward valid on `receivedOn`.' })
  unitId!: string;

  @Field(() => DateScalar, { description: 'Date received (thụ lý); not in the future, not in a closed period.' })
  receivedOn!: string;

  @Field({ description: 'Reference of the judgment or decision enforced, e.g. "123/2024/DS-ST".' })
  judgmentRef!: string;

  @Field(() => [CaseCategoryName], { defaultValue: [], description: 'Categories the case belongs to, if any.' })
  categories!: CaseCategoryName[];
}

@InputType({ description: 'Something that happens to an existing case.' })
export class CaseEventInput {
  @Field(() => ID, { description: 'The case.' })
  caseId!: string;

  @Field(() => CaseEventKindInput, { description: 'What happened.' })
  kind!: CaseEventKindInput;

  @Field(() => DateScalar, { description: 'When: not before the case’s last change, not in the future, not in a closed period.' })
  occurredOn!: string;
}
