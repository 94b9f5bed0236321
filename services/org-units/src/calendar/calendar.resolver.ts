import { Arg, Ctx, Field, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { DateScalar, ErrorCode, addDays, todayInVietnam, userError } from '@thads/kit';
import type { Context } from '../context';

@ObjectType({
  description: 'The reporting calendar: which periods are closed. Figures of a closed period never change; a correction goes into a later period.',
})
export class ReportingCalendar {
  @Field(() => DateScalar, { nullable: true, description: 'Every date up to and including this one is closed; null while no period is closed.' })
  closedThrough!: string | null;
}

@Resolver(() => ReportingCalendar)
export class CalendarResolver {
  @Query(() => ReportingCalendar, { description: 'Which reporting periods are closed.' })
  async reportingCalendar(@Ctx() ctx: Context): Promise<ReportingCalendar> {
    return { closedThrough: await ctx.loaders.calendar.closedThrough() };
  }

  @Mutation(() => ReportingCalendar, {
    description:
      'Closes every period up to `through`, the last day of a month (e.g. 2025-09-30 closes statistical year 2025). Events dated on or before it are refused from then on. A close cannot be undone, moved back, or reach past today.',
  })
  async closeReportingPeriod(
    @Arg('through', () => DateScalar, { description: 'Last day of a month, YYYY-MM-DD.' }) through: string,
    @Ctx() ctx: Context,
  ): Promise<ReportingCalendar> {
    ctx.access.assertMinistry('close reporting periods');
    if (addDays(through, 1).slice(8) !== '01')
      throw userError(ErrorCode.INVALID_PERIOD, `${through} is not the last day of a month: periods close at a month's end.`, { through });
    if (through >= todayInVietnam())
      throw userError(ErrorCode.INVALID_PERIOD, `${through} has not ended yet in Vietnam; a period closes after its last day.`, { through });
    const closedThrough = await ctx.loaders.calendar.close(
      through,
      (current) => {
        if (current && through < current)
          throw userError(ErrorCode.INVALID_PERIOD, `Periods through ${current} are closed already; a close cannot move back to ${through}.`, {
            through,
            closedThrough: current,
          });
      },
      ctx.access,
    );
    return { closedThrough };
  }
}
