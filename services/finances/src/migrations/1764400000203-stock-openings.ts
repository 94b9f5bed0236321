import { OpeningsMigration } from '@thads/kit';

/**
 * Stock openings per quarter (kit rollup/legacy-openings.migration.ts; the maintained rollups replaced them): a rollup reads its period's months and
 * one opening row a unit instead of every month since the first.
 */
export class MoneyStockOpenings1764400000203 extends OpeningsMigration {
  name = 'MoneyStockOpenings1764400000203';
  protected tables = [{ table: 'finances.money_month', flows: [], stocks: ['open_delta', 'open_enforceable_delta'] }];
}
