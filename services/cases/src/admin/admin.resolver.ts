import { Arg, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { DateScalar, PeriodInput, once, parseUnitId, statsScope } from '@thads/kit';
import type { Context } from '../context';
import { OrgUnit } from '../stats/org-unit.type';
import { AdminMonitoring } from './admin-monitoring.type';
import { adminMonitoring } from './admin-rollup';
import { applyAdminCommands, type AdminCommand } from './admin.writer';

@ObjectType({ description: 'The id of an administrative judgment under monitoring, after a write.' })
export class AdminJudgmentRef {
  @Field(() => ID, { description: 'Judgment id.' })
  id!: string;
}

const KEY = 'A key the client makes once per intended change (a UUID); a retry with it changes nothing.';

@Resolver(() => OrgUnit)
export class AdminMonitoringResolver {
  @FieldResolver(() => AdminMonitoring, {
    nullable: true,
    description:
      'Monitoring of administrative judgment enforcement for this unit and everything under it. Null only when the cases service is not answering (SUBGRAPH_UNAVAILABLE).',
  })
  async adminMonitoring(
    @Root() unit: OrgUnit,
    @Arg('period', () => PeriodInput, { description: 'The reporting period.' }) period: PeriodInput,
    @Arg('asOf', () => DateScalar, { nullable: true, description: "Date whose hierarchy to roll up on. Default: the period's last day." })
    asOf: string | undefined,
    @Ctx() ctx: Context,
  ): Promise<AdminMonitoring> {
    const scope = statsScope(period, asOf);
    const unitId = parseUnitId(unit.id);
    await ctx.access.assertRead(unitId, 'cases');
    const rows = await ctx.loaders.adminRollup.load({ unitId, ...scope });
    return adminMonitoring(rows.get(0)!);
  }

  private write(ctx: Context, key: string, command: AdminCommand): Promise<AdminJudgmentRef> {
    return ctx.db.transaction((tx) =>
      once(tx, 'cases', ctx.access.identity, key, `admin.${command.type}`, command, async () => ({
        id: (await applyAdminCommands(tx, [command], ctx.access))[0]!,
      })),
    );
  }

  @Mutation(() => AdminJudgmentRef, { description: 'An administrative judgment comes under monitoring, with or without a decision to monitor.' })
  monitorAdminJudgment(
    @Arg('unitId', () => ID, { description: 'The monitoring unit.' }) unitId: string,
    @Arg('receivedOn', () => DateScalar, { description: 'Date it came under monitoring.' }) receivedOn: string,
    @Arg('judgmentRef', { description: 'Reference of the administrative judgment.' }) judgmentRef: string,
    @Arg('withDecision', { description: 'Whether a decision to monitor was issued.' }) withDecision: boolean,
    @Arg('idempotencyKey', { description: KEY }) idempotencyKey: string,
    @Ctx() ctx: Context,
  ): Promise<AdminJudgmentRef> {
    return this.write(ctx, idempotencyKey, { type: 'RECEIVE', unitId: parseUnitId(unitId), date: receivedOn, judgmentRef, withDecision });
  }

  @Mutation(() => AdminJudgmentRef, { description: 'A decision to monitor is issued for a judgment under monitoring.' })
  issueMonitoringDecision(
    @Arg('judgmentId', () => ID, { description: 'The judgment.' }) judgmentId: string,
    @Arg('on', () => DateScalar, { description: 'Date of the decision.' }) on: string,
    @Arg('idempotencyKey', { description: KEY }) idempotencyKey: string,
    @Ctx() ctx: Context,
  ): Promise<AdminJudgmentRef> {
    return this.write(ctx, idempotencyKey, { type: 'DECISION', judgmentId, date: on });
  }

  @Mutation(() => AdminJudgmentRef, { description: 'The enforcement of a monitored administrative judgment is completed.' })
  completeAdminJudgment(
    @Arg('judgmentId', () => ID, { description: 'The judgment.' }) judgmentId: string,
    @Arg('on', () => DateScalar, { description: 'Date completed.' }) on: string,
    @Arg('idempotencyKey', { description: KEY }) idempotencyKey: string,
    @Ctx() ctx: Context,
  ): Promise<AdminJudgmentRef> {
    return this.write(ctx, idempotencyKey, { type: 'COMPLETE', judgmentId, date: on });
  }
}
