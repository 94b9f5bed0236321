import type { FieldNode, GraphQLResolveInfo } from 'graphql';
import { parseUnitId, statsScope, type StatsScope } from '../rollup/stats-args';
import { selects } from '../graphql/selection';
import { achievement, NATIONAL_UNIT_ID } from '../stats/targets';
import { previousYear, statisticalYearOf, type PeriodSpec } from '../time/period';
import { figureChanges } from '../util/rate';
import { reportLoaders, targetLoader, type ReportContext } from './report-loaders';
import type { ExtraFigure, ReportSpec, Rows } from './report-spec';

/** What one selection of a stats field reads: decided once, shared by every unit of a list. */
interface Plan {
  full: boolean;
  breakdown: boolean;
  previous: boolean;
  target: boolean;
  extras: readonly ExtraFigure[];
}

/**
 * A list of units resolves the same selection once a unit: graphql-js hands every item the
 * same field nodes and variables, so the plan and the period are worked out once a request.
 */
const plans = new WeakMap<readonly FieldNode[], Plan>();
const scopes = new WeakMap<readonly FieldNode[], WeakMap<object, StatsScope>>();

function planOf(spec: ReportSpec, info: GraphQLResolveInfo): Plan {
  let plan = plans.get(info.fieldNodes);
  if (!plan) {
    const extras = (spec.extras ?? []).filter((e) => selects(info, e.name));
    const breakdown = selects(info, spec.breakdown.field);
    plan = {
      breakdown,
      full: breakdown || extras.some((e) => e.needsBreakdown),
      previous: selects(info, 'previousYear', 'change'),
      target: !!spec.target && selects(info, 'target'),
      extras,
    };
    plans.set(info.fieldNodes, plan);
  }
  return plan;
}

function scopeOf(info: GraphQLResolveInfo, period: PeriodSpec, asOf: string | null | undefined): StatsScope {
  let byVariables = scopes.get(info.fieldNodes);
  if (!byVariables) scopes.set(info.fieldNodes, (byVariables = new WeakMap()));
  let scope = byVariables.get(info.variableValues);
  if (!scope) byVariables.set(info.variableValues, (scope = statsScope(period, asOf)));
  return scope;
}

/**
 * The `<name>Stats` of one unit: its figures for the period on the hierarchy of asOf, and
 * only what the selection asks for besides (breakdown, previous year and change, target),
 * each read through the request's loaders so that a list of units is one statement a kind.
 */
export function resolveStats(
  spec: ReportSpec,
  unit: { id: string },
  period: PeriodSpec,
  asOf: string | null | undefined,
  ctx: ReportContext,
  info: GraphQLResolveInfo,
): Promise<Record<string, unknown>> {
  const plan = planOf(spec, info);
  const scope = scopeOf(info, period, asOf);
  const unitId = parseUnitId(unit.id);
  const read = async () => {
    const loaders = reportLoaders(ctx, spec);
    const loader = plan.full ? loaders.full : loaders.totals;
    const year = statisticalYearOf(scope.period.end);
    const targets = targetLoader(ctx);
    const [rows, previous, own, national] = await Promise.all([
      loader.load({ unitId, ...scope }),
      plan.previous ? loader.load({ unitId, period: previousYear(scope.period), asOf: scope.asOf }) : undefined,
      plan.target ? targets.load(`${unitId}|${year}`) : null,
      plan.target ? targets.load(`${NATIONAL_UNIT_ID}|${year}`) : null,
    ]);
    return statsOf(spec, plan, scope, rows, previous, own, national);
  };
  return ctx.access.readsEverything() ? read() : ctx.access.assertRead(unitId, spec.family).then(read);
}

function statsOf(
  spec: ReportSpec,
  plan: Plan,
  scope: StatsScope,
  rows: Rows,
  previous: Rows | undefined,
  own: unknown,
  national: unknown,
): Record<string, unknown> {
  const current = spec.figures(rows.get(0)!);
  const out: Record<string, unknown> = { ...current, periodStart: scope.period.start, periodEnd: scope.period.end, asOf: scope.asOf };
  for (const extra of plan.extras) out[extra.name] = extra.value(rows);
  if (plan.breakdown) {
    const { key, buckets } = spec.breakdown;
    out[spec.breakdown.field] = buckets
      .filter(([, bucket]) => rows.has(bucket))
      .map(([value, bucket]) => ({ [key]: value, ...spec.figures(rows.get(bucket)!) }));
  }
  if (previous) {
    const before = spec.figures(previous.get(0)!);
    out.previousYear = before;
    out.change = figureChanges(current, before);
  }
  if (plan.target && spec.target) {
    const { rate, of } = spec.target;
    out.target = achievement(rate(current), own ? of(own as never) : null, national ? of(national as never) : null);
  }
  return out;
}
