import type { DataSource } from 'typeorm';
import type DataLoader from 'dataloader';
import type { Access } from '../auth/access';
import { createMonthsLoader, createRollupLoader } from '../rollup/rollup-loader';
import { createRankingLoader, type RankingKey } from '../stats/ranking-loader';
import type { RankedRow } from '../stats/ranking';
import { createTargetLoader } from '../stats/targets';
import type { ReportSpec, Rows } from './report-spec';

/** What the report resolvers need of a subgraph's request context. */
export interface ReportContext {
  db: DataSource;
  access: Access;
}

/** A unit's figures in a ranking, with its rows (a metric may read a bucket). */
export interface RankedFigures {
  figures: object;
  rows: Rows;
}

export interface ReportLoaders {
  /** Every bucket: the breakdown and the extras that read it. */
  full: ReturnType<typeof createRollupLoader>;
  /** Bucket 0 alone: a fraction of the rows, for selections without the breakdown. */
  totals: ReturnType<typeof createRollupLoader>;
  /** The months of a range, bucket 0 alone and every bucket: series and grids. */
  monthsTotals: ReturnType<typeof createMonthsLoader>;
  monthsFull: ReturnType<typeof createMonthsLoader>;
  ranking: DataLoader<RankingKey<string>, RankedRow<RankedFigures>[], string>;
}

/** Every bucket of a report: 0 and the breakdown's. */
export function bucketsOfReport(spec: ReportSpec): number[] {
  return [0, ...spec.breakdown.buckets.map(([, bucket]) => bucket)];
}

const perRequest = new WeakMap<object, Map<ReportSpec, ReportLoaders>>();
const targetsPerRequest = new WeakMap<object, ReturnType<typeof createTargetLoader>>();

/** The report's loaders of this request (made on first use: one batch a tick per kind of read). */
export function reportLoaders(ctx: ReportContext, spec: ReportSpec): ReportLoaders {
  let mine = perRequest.get(ctx);
  if (!mine) perRequest.set(ctx, (mine = new Map()));
  let loaders = mine.get(spec);
  if (!loaders) {
    loaders = {
      full: createRollupLoader(ctx.db, spec.rollup, bucketsOfReport(spec)),
      totals: createRollupLoader(ctx.db, spec.rollup, [0]),
      monthsTotals: createMonthsLoader(ctx.db, spec.rollup, [0]),
      monthsFull: createMonthsLoader(ctx.db, spec.rollup, bucketsOfReport(spec)),
      ranking: createRankingLoader<string, RankedFigures>(
        ctx.db,
        spec.rollup,
        spec.ranking.buckets ?? [0],
        (rows) => ({ figures: spec.figures(rows.get(0)!), rows }),
        (item, metric) => spec.ranking.metric.value(metric, item.figures, item.rows),
      ),
    };
    mine.set(spec, loaders);
  }
  return loaders;
}

/** The targets of this request, shared by the reports that compare with them. */
export function targetLoader(ctx: ReportContext): ReturnType<typeof createTargetLoader> {
  let loader = targetsPerRequest.get(ctx);
  if (!loader) targetsPerRequest.set(ctx, (loader = createTargetLoader(ctx.db)));
  return loader;
}
