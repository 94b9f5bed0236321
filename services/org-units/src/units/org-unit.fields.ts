import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { DateScalar, addDays, todayInVietnam } from '@thads/kit';
import type { Context } from '../context';
import { Lineage } from '../lineage/lineage.entity';
import { OrgUnit } from './org-unit.entity';
import { OrgUnitType } from './org-unit-type';

@Resolver(() => OrgUnit)
export class OrgUnitFields {
  @FieldResolver(() => DateScalar, {
    nullable: true,
    description: 'Last day the unit exists (YYYY-MM-DD), or null while it exists. Historic provinces and districts end on 2025-06-30.',
  })
  validUntil(@Root() unit: OrgUnit): string | null {
    return unit.validTo ? addDays(unit.validTo, -1) : null;
  }

  @FieldResolver(() => Boolean, { description: 'Whether the unit exists on `on` (default today).' })
  validOn(@Root() unit: OrgUnit, @Arg('on', () => DateScalar, { nullable: true, description: 'The date. Default: today in Vietnam.' }) on?: string): boolean {
    const date = on ?? todayInVietnam();
    return unit.validFrom <= date && (unit.validTo === null || date < unit.validTo);
  }

  @FieldResolver(() => OrgUnit, {
    nullable: true,
    description: 'The unit directly above; null for the ministry, and for a unit below the provinces that is outside what you may read.',
  })
  async parent(@Root() unit: OrgUnit, @Ctx() ctx: Context): Promise<OrgUnit | null> {
    if (unit.parentId === null) return null;
    const parent = await ctx.loaders.unitById.load(unit.parentId);
    return parent && (await ctx.access.canSeeUnit(parent)) ? parent : null;
  }

  @FieldResolver(() => [OrgUnit], { description: 'Units directly below, valid on `asOf`, by name.' })
  async children(
    @Root() unit: OrgUnit,
    @Ctx() ctx: Context,
    @Arg('asOf', () => DateScalar, { nullable: true, description: "Date whose hierarchy to use. Default: today, or the unit's last day if it has ended." })
    asOf?: string,
  ): Promise<OrgUnit[]> {
    return ctx.access.visible(await ctx.loaders.childrenOf.load({ id: unit.id, asOf: asOf ?? defaultDate(unit) }));
  }

  @FieldResolver(() => [OrgUnit], { description: 'Units above, from the parent up to the ministry (those you may read).' })
  async ancestors(@Root() unit: OrgUnit, @Ctx() ctx: Context): Promise<OrgUnit[]> {
    const chain: OrgUnit[] = [];
    let parentId = unit.parentId;
    while (parentId !== null && chain.length < 16) {
      const parent = await ctx.loaders.unitById.load(parentId);
      if (!parent) break;
      chain.push(parent);
      parentId = parent.parentId;
    }
    return ctx.access.visible(chain);
  }

  @FieldResolver(() => [OrgUnit], { description: 'All units below, valid on `asOf`, level by level; optionally only one level.' })
  async descendants(
    @Root() unit: OrgUnit,
    @Ctx() ctx: Context,
    @Arg('asOf', () => DateScalar, { nullable: true, description: "Date whose hierarchy to use. Default: today, or the unit's last day if it has ended." })
    asOf?: string,
    @Arg('type', () => OrgUnitType, { nullable: true, description: 'Only units of this level.' }) type?: OrgUnitType,
  ): Promise<OrgUnit[]> {
    return ctx.access.visible(await ctx.loaders.units.descendantsOf(unit.id, asOf ?? defaultDate(unit), type ?? null));
  }

  @FieldResolver(() => [Lineage], {
    description: 'Lineage edges from or to this unit: what it became, or what it continues (the edges whose other unit you may read).',
  })
  async lineage(@Root() unit: OrgUnit, @Ctx() ctx: Context): Promise<Lineage[]> {
    const edges = await ctx.loaders.lineageOf.load(unit.id);
    const otherEnd = (e: Lineage) => (e.fromUnitId === unit.id ? e.toUnitId : e.fromUnitId);
    const ends = await Promise.all(edges.map((e) => ctx.loaders.unitById.load(otherEnd(e))));
    const visible = new Set((await ctx.access.visible(ends.filter((u): u is OrgUnit => u !== null))).map((u) => u.id));
    return edges.filter((e) => visible.has(otherEnd(e)));
  }
}

/** Today for a living unit; the last day of an ended one, so its own hierarchy shows. */
export function defaultDate(unit: OrgUnit): string {
  const today = todayInVietnam();
  return unit.validTo && unit.validTo <= today ? addDays(unit.validTo, -1) : today;
}
