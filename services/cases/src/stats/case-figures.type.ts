import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Case indicators of one unit (its whole subtree) for one period, as in the THADS report on results by case.' })
export class CaseFigures {
  @Field(() => Int, { description: 'Carried over (chuyển kỳ trước sang): cases open when the period starts.' })
  carriedOver!: number;

  @Field(() => Int, { description: 'Newly received (thụ lý mới) in the period.' })
  newlyReceived!: number;

  @Field(() => Int, { description: 'Total handled (tổng số thụ lý) = carried over + newly received.' })
  totalHandled!: number;

  @Field(() => Int, { description: 'Entrusted out (ủy thác) to another agency in the period; deducted here.' })
  entrustedOut!: number;

  @Field(() => Int, { description: 'Withdrawn: enforcement decisions revoked or cancelled in the period; deducted.' })
  withdrawn!: number;

  @Field(() => Int, { description: 'Moved to the separate tracking book (sổ theo dõi riêng) in the period; reported on its own line, out of the totals.' })
  separateBook!: number;

  @Field(() => Int, { description: 'To be enforced (phải thi hành) = total handled − entrusted out − withdrawn − moved to the separate book.' })
  toEnforce!: number;

  @Field(() => Int, { description: 'Enforceable (có điều kiện thi hành) = done + cases open at the end and classified enforceable.' })
  enforceable!: number;

  @Field(() => Int, { description: 'Not yet enforceable (chưa có điều kiện) = to be enforced − enforceable.' })
  notEnforceable!: number;

  @Field(() => Int, { description: 'Done (thi hành xong): completed, or terminated for all obligations, in the period.' })
  done!: number;

  @Field(() => Int, { description: 'Of done: cases fully executed (thi hành xong toàn bộ) in the period = done − terminated.' })
  completed!: number;

  @Field(() => Int, { description: 'Of done: cases terminated for all their obligations (đình chỉ thi hành án) in the period.' })
  terminated!: number;

  @Field(() => Int, { description: 'Carried to the next period (chuyển kỳ sau) = to be enforced − done.' })
  carriedToNext!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Completion rate = done ÷ enforceable, in percent, rounded half-up to 2 decimals; null when nothing is enforceable.',
  })
  completionRate!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Enforceable share = enforceable ÷ to be enforced, in percent, 2 decimals; null when nothing is to be enforced.',
  })
  enforceableShare!: number | null;
}
