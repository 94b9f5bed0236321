import { Field, Float, ObjectType } from 'type-graphql';
import { VndScalar } from '@thads/kit';

@ObjectType({ description: 'Money indicators of one unit (its whole subtree) for one period, in VND, as in the THADS report on results by money.' })
export class MoneyFigures {
  @Field(() => VndScalar, { description: 'Carried over: money still to enforce when the period starts.' })
  carriedOver!: bigint;

  @Field(() => VndScalar, { description: 'Newly received in the period.' })
  newlyReceived!: bigint;

  @Field(() => VndScalar, { description: 'Total handled = carried over + newly received.' })
  totalHandled!: bigint;

  @Field(() => VndScalar, { description: 'Entrusted out to another agency in the period; deducted.' })
  entrustedOut!: bigint;

  @Field(() => VndScalar, { description: 'Withdrawn in the period; deducted.' })
  withdrawn!: bigint;

  @Field(() => VndScalar, { description: 'Moved to the separate tracking book in the period; reported on its own line.' })
  separateBook!: bigint;

  @Field(() => VndScalar, { description: 'To be enforced = total handled − entrusted out − withdrawn − separate book.' })
  toEnforce!: bigint;

  @Field(() => VndScalar, { description: 'Enforceable = money done + what remains of open cases classified enforceable at the end.' })
  enforceable!: bigint;

  @Field(() => VndScalar, { description: 'Not yet enforceable = to be enforced − enforceable.' })
  notEnforceable!: bigint;

  @Field(() => VndScalar, { description: 'Done: collected, plus what remained of cases completed or terminated, in the period.' })
  done!: bigint;

  @Field(() => VndScalar, { description: 'Collected in the period (part of done).' })
  collected!: bigint;

  @Field(() => VndScalar, { description: 'Carried to the next period = to be enforced − done.' })
  carriedToNext!: bigint;

  @Field(() => Float, {
    nullable: true,
    description: 'Completion rate = done ÷ enforceable, percent, rounded half-up to 2 decimals from exact integers; null when nothing is enforceable.',
  })
  completionRate!: number | null;

  @Field(() => Float, { nullable: true, description: 'Enforceable share = enforceable ÷ to be enforced, percent, 2 decimals.' })
  enforceableShare!: number | null;
}
