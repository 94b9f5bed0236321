import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { ErrorCode, userError } from '@thads/kit';
import type { Context } from '../context';
import { Petition } from './petition.entity';

@Resolver(() => Petition)
export class PetitionQueries {
  @Query(() => Petition, { description: 'One petition by id. PETITION_NOT_FOUND when there is none.' })
  async petition(@Arg('id', () => ID, { description: 'Petition id.' }) id: string, @Ctx() ctx: Context): Promise<Petition> {
    const found = /^\d{1,18}$/.test(id) ? await ctx.loaders.petitionById.load(id) : null;
    if (!found) throw userError(ErrorCode.PETITION_NOT_FOUND, `No petition has id "${id}".`, { id });
    await ctx.access.assertRead(found.unitId, 'complaints');
    return found;
  }
}
