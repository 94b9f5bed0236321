import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { ErrorCode, parseUnitId, todayInVietnam, userError } from '@thads/kit';
import type { Context } from '../../context';
import { OrgUnit } from '../org-unit.entity';
import { defaultDate } from '../org-unit.fields';
import type { Below, UnitConditions } from '../org-unit.repository';
import { DEFAULT_FIRST, MAX_FIRST, pageOf, type Page } from './unit-page';
import { OrderDirection, OrgUnitConnection, UnitFilter, UnitOrder, UnitOrderField } from './unit-connection.types';

const FIRST = { defaultValue: DEFAULT_FIRST, description: `How many units this page holds, 0–${MAX_FIRST}. Default: ${DEFAULT_FIRST}.` };
const AFTER = { nullable: true, description: 'The cursor to continue after: a previous page’s `pageInfo.endCursor`. Default: from the first unit.' };
const FILTER = { nullable: true, description: 'Which units to list. Default: all (those valid today).' };
const ORDER = { nullable: true, description: 'How to sort them. Default: by name in Vietnamese order.' };

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

async function connection(
  ctx: Context,
  units: Promise<OrgUnit[]>,
  first: number,
  after: string | undefined,
  order: UnitOrder | undefined,
): Promise<Page<OrgUnit>> {
  const sort = { field: order?.field ?? UnitOrderField.NAME, direction: order?.direction ?? OrderDirection.ASC };
  // The units the caller may not see are left out before paging, so totalCount and the cursors count only what it reads.
  return pageOf(await ctx.access.visible(await units), sort, first, after);
}

/** The connection of the units below one unit; the same connection on the other units of a list goes in the same batch. */
function below(
  ctx: Context,
  unit: OrgUnit,
  kind: Below,
  filter: UnitFilter | undefined,
  first: number,
  after: string | undefined,
  order: UnitOrder | undefined,
) {
  const conditions = conditionsOf(filter, { validOn: defaultDate(unit) });
  return connection(ctx, ctx.loaders.unitsBelow.load({ below: kind, ownerId: unit.id, conditions }), first, after, order);
}

/** Cursor-paged lists of units: the whole hierarchy, a unit's children and its descendants, filtered and sorted. */
@Resolver(() => OrgUnit)
export class UnitConnections {
  @Query(() => OrgUnitConnection, {
    description:
      'Units one page at a time: filter by level, parent, ancestor, date and name (without diacritics, common abbreviations), sort by name (Vietnamese order), code or id, and continue with `after: pageInfo.endCursor`.',
  })
  unitsConnection(
    @Arg('first', () => Int, FIRST) first: number,
    @Arg('after', () => String, AFTER) after: string | undefined,
    @Arg('filter', () => UnitFilter, FILTER) filter: UnitFilter | undefined,
    @Arg('orderBy', () => UnitOrder, ORDER) orderBy: UnitOrder | undefined,
    @Ctx() ctx: Context,
  ): Promise<Page<OrgUnit>> {
    return connection(ctx, ctx.loaders.units.matching(conditionsOf(filter, { validOn: todayInVietnam() })), first, after, orderBy);
  }

  @FieldResolver(() => OrgUnitConnection, {
    description: "The units directly below, one page at a time, on the hierarchy of `filter.validOn` (default: today, or the unit's last day if it has ended).",
  })
  childrenConnection(
    @Root() unit: OrgUnit,
    @Arg('first', () => Int, FIRST) first: number,
    @Arg('after', () => String, AFTER) after: string | undefined,
    @Arg('filter', () => UnitFilter, FILTER) filter: UnitFilter | undefined,
    @Arg('orderBy', () => UnitOrder, ORDER) orderBy: UnitOrder | undefined,
    @Ctx() ctx: Context,
  ): Promise<Page<OrgUnit>> {
    return below(ctx, unit, 'parent', filter, first, after, orderBy);
  }

  @FieldResolver(() => OrgUnitConnection, {
    description:
      "All units below, at any depth, one page at a time, on the hierarchy of `filter.validOn` (default: today, or the unit's last day if it has ended).",
  })
  descendantsConnection(
    @Root() unit: OrgUnit,
    @Arg('first', () => Int, FIRST) first: number,
    @Arg('after', () => String, AFTER) after: string | undefined,
    @Arg('filter', () => UnitFilter, FILTER) filter: UnitFilter | undefined,
    @Arg('orderBy', () => UnitOrder, ORDER) orderBy: UnitOrder | undefined,
    @Ctx() ctx: Context,
  ): Promise<Page<OrgUnit>> {
    return below(ctx, unit, 'within', filter, first, after, orderBy);
  }
}
