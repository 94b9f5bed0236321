import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { OrgUnit } from '../units/org-unit.entity';
import { Lineage } from './lineage.entity';

@Resolver(() => Lineage)
export class LineageFields {
  @FieldResolver(() => OrgUnit, { description: 'The old unit.' })
  async from(@Root() edge: Lineage, @Ctx() ctx: Context): Promise<OrgUnit> {
    return (await ctx.loaders.unitById.load(edge.fromUnitId))!;
  }

  @FieldResolver(() => OrgUnit, { description: 'The unit that continues it.' })
  async to(@Root() edge: Lineage, @Ctx() ctx: Context): Promise<OrgUnit> {
    return (await ctx.loaders.unitById.load(edge.toUnitId))!;
  }
}
