import { Args, ArgsType, Ctx, Field, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { ErrorCode, parseUnitId, todayInVietnam, userError } from '@thads/kit';
import type { Context } from '../../context';
import { OrgUnit } from '../org-unit.entity';
import { defaultDate } from '../org-unit.fields';
import type { Below, UnitConditions } from '../org-unit.repository';
import { DEFAULT_FIRST, MAX_FIRST, pageOf, type Page } from './unit-page';
import { OrderDirection, OrgUnitConnection, UnitFilter, UnitOrder, UnitOrderField } from './unit-connection.types';

/** The arguments every unit connection takes. */
@ArgsType()
class ConnectionArgs {
  @Field(() => Int, { defaultValue: DEFAULT_FIRST, description: `How many units this page holds, 0–${MAX_FIRST}. Default: ${DEFAULT_FIRST}.` })
  first!: number;

  @Field(() => String, { nullable: true, description: 'The cursor to continue after: a previous page’s `pageInfo.endCursor`. Default: from the first unit.' })
  after?: string;

  @Field(() => UnitFilter, { nullable: true, description: 'Which units to list. Default: all (those valid today).' })
  filter?: UnitFilter;

  @Field(() => UnitOrder, { nullable: true, description: 'How to sort them. Default: by name in Vietnamese order.' })
  orderBy?: UnitOrder;
}

/** The conditions of a filter (a unit's own connections add the unit as parent or ancestor through `unitsBelow`). */
function conditionsOf(filter: UnitFilter | undefined, defaults: { validOn: string }): UnitConditions {
  if (filter?.name !== undefined && filter.name.trim().length < 2)
    throw userError(ErrorCode.BAD_USER_INPUT, 'filter.name needs at least 2 characters.', { field: 'filter.name' });
  return {
    validOn: filter?.validOn ?? defaults.validOn,
    type: filter?.type,
    parentIds: filter?.parent !== undefined ? [parseUnitId(filter.parent)] : [],
    withinIds: filter?.within !== undefined ? [parseUnitId(filter.within)] : [],
    name: filter?.name,
  };
}

async function connection(ctx: Context, units: Promise<OrgUnit[]>, { first, after, orderBy }: ConnectionArgs): Promise<Page<OrgUnit>> {
  const sort = { field: orderBy?.field ?? UnitOrderField.NAME, direction: orderBy?.direction ?? OrderDirection.ASC };
  // The units the caller may not see are left out before paging, so totalCount and the cursors count only what it reads.
  return pageOf(await ctx.access.visible(await units), sort, first, after);
}

/** The connection of the units below one unit; the same connection on the other units of a list goes in the same batch. */
function below(ctx: Context, unit: OrgUnit, kind: Below, args: ConnectionArgs) {
  const conditions = conditionsOf(args.filter, { validOn: defaultDate(unit) });
  return connection(ctx, ctx.loaders.unitsBelow.load({ below: kind, ownerId: unit.id, conditions }), args);
}

/** Cursor-paged lists of units: the whole hierarchy, a unit's children and its descendants, filtered and sorted. */
@Resolver(() => OrgUnit)
export class UnitConnections {
  @Query(() => OrgUnitConnection, {
    description:
      'Units one page at a time: filter by level, parent, ancestor, date and name (without diacritics, common abbreviations), sort by name (Vietnamese order), code or id, and continue with `after: pageInfo.endCursor`.',
  })
  unitsConnection(@Args() args: ConnectionArgs, @Ctx() ctx: Context): Promise<Page<OrgUnit>> {
    return connection(ctx, ctx.loaders.units.matching(conditionsOf(args.filter, { validOn: todayInVietnam() })), args);
  }

  @FieldResolver(() => OrgUnitConnection, {
    description: "The units directly below, one page at a time, on the hierarchy of `filter.validOn` (default: today, or the unit's last day if it has ended).",
  })
  childrenConnection(@Root() unit: OrgUnit, @Args() args: ConnectionArgs, @Ctx() ctx: Context): Promise<Page<OrgUnit>> {
    return below(ctx, unit, 'parent', args);
  }

  @FieldResolver(() => OrgUnitConnection, {
    description:
      "All units below, at any depth, one page at a time, on the hierarchy of `filter.validOn` (default: today, or the unit's last day if it has ended).",
  })
  descendantsConnection(@Root() unit: OrgUnit, @Args() args: ConnectionArgs, @Ctx() ctx: Context): Promise<Page<OrgUnit>> {
    return below(ctx, unit, 'within', args);
  }
}
