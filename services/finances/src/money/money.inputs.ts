import { registerEnumType } from 'type-graphql';

export enum MoneyEventKindInput {
  CLASSIFIED_ENFORCEABLE = 'CLASSIFIED_ENFORCEABLE',
  CLASSIFIED_NOT_ENFORCEABLE = 'CLASSIFIED_NOT_ENFORCEABLE',
  COMPLETED = 'COMPLETED',
  TERMINATED = 'TERMINATED',
  ENTRUSTED_OUT = 'ENTRUSTED_OUT',
  WITHDRAWN = 'WITHDRAWN',
  SEPARATE_BOOK = 'SEPARATE_BOOK',
}

registerEnumType(MoneyEventKindInput, {
  name: 'MoneyEventKind',
  description: 'What happens to the money of a case (collections have their own mutation).',
  valuesConfig: {
    CLASSIFIED_ENFORCEABLE: { description: 'What remains is classified enforceable.' },
    CLASSIFIED_NOT_ENFORCEABLE: { description: 'What remains is classified not yet enforceable.' },
    COMPLETED: { description: 'Fully executed: what remains counts as done.' },
    TERMINATED: { description: 'Terminated for all obligations: what remains counts as done.' },
    ENTRUSTED_OUT: { description: 'Entrusted to another agency: what remains is deducted.' },
    WITHDRAWN: { description: 'Withdrawn: what remains is deducted.' },
    SEPARATE_BOOK: { description: 'Moved to the separate tracking book.' },
  },
});
