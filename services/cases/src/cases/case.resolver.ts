import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { ErrorCode, userError } from '@thads/kit';
import type { Context } from '../context';
import { EnforcementCase } from './case.entity';

@Resolver(() => EnforcementCase)
export class CaseQueries {
  @Query(() => EnforcementCase, { description: 'One enforcement case by id. CASE_NOT_FOUND when there is none.' })
  async enforcementCase(@Arg('id', () => ID, { description: 'Case id.' }) id: string, @Ctx() ctx: Context): Promise<EnforcementCase> {
    const found = /^\d{1,18}$/.test(id) ? await ctx.loaders.caseById.load(id) : null;
    if (!found) throw userError(ErrorCode.CASE_NOT_FOUND, `No enforcement case has id "${id}".`, { id });
    await ctx.access.assertRead(found.unitId, 'cases');
    return found;
  }
}
