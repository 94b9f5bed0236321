import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { ErrorCode, userError } from '@thads/kit';
import type { Context } from '../context';
import { CaseMoney } from './case-money.entity';

@Resolver(() => CaseMoney)
export class CaseMoneyQueries {
  @Query(() => CaseMoney, { description: 'The money obligation of one enforcement case. CASE_NOT_FOUND when the case has none.' })
  async caseMoney(@Arg('caseId', () => ID, { description: 'Id of the enforcement case.' }) caseId: string, @Ctx() ctx: Context): Promise<CaseMoney> {
    const found = /^\d{1,18}$/.test(caseId) ? await ctx.loaders.moneyByCase.load(caseId) : null;
    if (!found) throw userError(ErrorCode.CASE_NOT_FOUND, `No money obligation is recorded for case "${caseId}".`, { caseId });
    await ctx.access.assertRead(found.unitId, 'money');
    return found;
  }
}
