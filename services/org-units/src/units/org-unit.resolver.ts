import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { DateScalar, ErrorCode, parseUnitId, todayInVietnam, userError } from '@thads/kit';
import type { Context } from '../context';
import { OrgUnit } from './org-unit.entity';
import { OrgUnitType } from './org-unit-type';
import { MINISTRY_ID } from '../seed/generate-units';

const MAX_SEARCH = 100;

@Resolver(() => OrgUnit)
export class OrgUnitQueries {
  @Query(() => OrgUnit, { description: 'The unit with this id, current or historic. UNIT_NOT_FOUND when there is none.' })
  async unit(@Arg('id', () => ID, { description: 'Unit id, e.g. "1" for the ministry.' }) id: string, @Ctx() ctx: Context): Promise<OrgUnit> {
    const unit = await ctx.loaders.unitById.load(parseUnitId(id));
    if (!unit) throw userError(ErrorCode.UNIT_NOT_FOUND, `No organizational unit has id "${id}". Find ids with searchUnits or units(type:).`, { id });
    await ctx.access.assertSee(unit);
    return unit;
  }

  @Query(() => OrgUnit, {
    description: 'The unit with this code valid on `asOf` (default today). An old and a new province may share a code; the date picks one.',
  })
  async unitByCode(
    @Arg('code', { description: 'Unit code, e.g. "ha-noi".' }) code: string,
    @Arg('asOf', () => DateScalar, { nullable: true, description: 'Date whose units to look in. Default: today in Vietnam.' }) asOf: string | undefined,
    @Ctx() ctx: Context,
  ): Promise<OrgUnit> {
    const date = asOf ?? todayInVietnam();
    const [unit] = await ctx.loaders.units.byCodes([code], date);
    if (!unit)
      throw userError(ErrorCode.UNIT_NOT_FOUND, `No unit has code "${code}" on ${date}. Codes of units valid before 2025-07-01 need an earlier asOf.`, {
        unitCode: code,
        asOf: date,
      });
    await ctx.access.assertSee(unit);
    return unit;
  }

  @Query(() => OrgUnit, { description: 'The ministry: the root of the hierarchy on every date.' })
  async ministry(@Ctx() ctx: Context): Promise<OrgUnit> {
    const ministry = (await ctx.loaders.unitById.load(MINISTRY_ID))!;
    await ctx.access.assertSee(ministry);
    return ministry;
  }

  @Query(() => [OrgUnit], {
    description: 'The units of one level valid on `asOf` (default today), by name: e.g. the 34 provinces, or the 63 before 2025-07-01.',
  })
  async units(
    @Arg('type', () => OrgUnitType, { description: 'The level.' }) type: OrgUnitType,
    @Arg('asOf', () => DateScalar, { nullable: true, description: 'Date whose hierarchy to use. Default: today in Vietnam.' }) asOf: string | undefined,
    @Ctx() ctx: Context,
  ): Promise<OrgUnit[]> {
    return ctx.access.visible(await ctx.loaders.units.ofType(type, asOf ?? todayInVietnam()));
  }

  @Query(() => [OrgUnit], {
    description: 'Units whose name contains `text`, with or without Vietnamese diacritics ("ha noi" finds "Hà Nội"). Names that start with it come first.',
  })
  async searchUnits(
    @Arg('text', { description: 'Part of a name, at least 2 characters.' }) text: string,
    @Arg('asOf', () => DateScalar, { nullable: true, description: 'Only units valid on this date. Default: units of any date.' }) asOf: string | undefined,
    @Arg('type', () => OrgUnitType, { nullable: true, description: 'Only units of this level.' }) type: OrgUnitType | undefined,
    @Arg('limit', () => Int, { defaultValue: 20, description: `At most this many units (1–${MAX_SEARCH}).` }) limit: number,
    @Ctx() ctx: Context,
  ): Promise<OrgUnit[]> {
    if (text.trim().length < 2) throw userError(ErrorCode.BAD_USER_INPUT, 'Search text needs at least 2 characters.', { field: 'text' });
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH)
      throw userError(ErrorCode.BAD_USER_INPUT, `limit must be 1–${MAX_SEARCH}, got ${limit}.`, { field: 'limit' });
    return ctx.access.visible(await ctx.loaders.units.search(text, asOf ?? null, type ?? null, limit));
  }
}
