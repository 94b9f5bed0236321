import { Arg, Ctx, Field, Float, ID, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import { ErrorCode, announceRewrite, parseUnitId, userError } from '@thads/kit';
import type { Context } from '../context';

@ObjectType({ description: 'The targets of a unit for a statistical year. The ministry’s (unit 1) are the national targets set by the National Assembly.' })
export class UnitTarget {
  @Field(() => ID, { description: 'The unit.' })
  unitId!: string;

  @Field(() => Int, { description: 'Statistical year.' })
  year!: number;

  @Field(() => Float, { description: 'Target case completion rate, percent.' })
  caseRate!: number;

  @Field(() => Float, { description: 'Target money completion rate, percent.' })
  moneyRate!: number;
}

/** Whether a percentage has at most 2 decimals, as a person writes it: 36.45 × 100 is 3645.0000000000005 in binary floating point. */
function hasTwoDecimals(value: number): boolean {
  return Math.abs(value * 100 - Math.round(value * 100)) < 1e-6;
}

function checkRate(value: number, name: string): void {
  if (!Number.isFinite(value) || value < 0 || value > 100 || !hasTwoDecimals(value)) {
    throw userError(ErrorCode.BAD_USER_INPUT, `${name} must be a percentage from 0 to 100 with at most 2 decimals, got ${value}.`, { field: name });
  }
}

@Resolver(() => UnitTarget)
export class TargetResolver {
  @Mutation(() => UnitTarget, {
    description: 'Sets (or replaces) a unit’s targets for a statistical year; unit 1 sets the national targets. Setting the same values again changes nothing.',
  })
  async setTarget(
    @Arg('unitId', () => ID, { description: 'The unit (the ministry, "1", for the national targets).' }) unitId: string,
    @Arg('year', () => Int, { description: 'Statistical year.' }) year: number,
    @Arg('caseRate', () => Float, { description: 'Target case completion rate, percent.' }) caseRate: number,
    @Arg('moneyRate', () => Float, { description: 'Target money completion rate, percent.' }) moneyRate: number,
    @Ctx() ctx: Context,
  ): Promise<UnitTarget> {
    ctx.access.assertMinistry('set targets');
    const id = parseUnitId(unitId);
    if (!Number.isInteger(year) || year < 2000 || year > 2100)
      throw userError(ErrorCode.BAD_USER_INPUT, `year must be a statistical year such as 2025, got ${year}.`, { field: 'year' });
    checkRate(caseRate, 'caseRate');
    checkRate(moneyRate, 'moneyRate');
    const [unit] = (await ctx.db.query(`SELECT 1 FROM org_units.org_unit WHERE id = $1`, [id])) as unknown[];
    if (!unit) throw userError(ErrorCode.UNIT_NOT_FOUND, `No organizational unit has id "${unitId}".`, { unitId });
    await ctx.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO finances.unit_target (unit_id, year, case_rate, money_rate) VALUES ($1, $2, $3, $4)
         ON CONFLICT (unit_id, year) DO UPDATE SET case_rate = EXCLUDED.case_rate, money_rate = EXCLUDED.money_rate`,
        [id, year, caseRate, moneyRate],
      );
      // Targets are part of the figures the cases and finances subgraphs serve (caseStats.target,
      // moneyStats.target; the national ones in every unit's): whoever keeps figures drops them.
      // A rare change of the ministry's, announced as a rewrite of everything.
      await announceRewrite(tx, ctx.access);
    });
    return { unitId: String(id), year, caseRate, moneyRate };
  }
}
