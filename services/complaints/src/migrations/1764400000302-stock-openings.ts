import { OpeningsMigration } from '@thads/kit';

/**
 * Stock openings per quarter (kit rollup/legacy-openings.migration.ts; the maintained rollups replaced them): a rollup reads its period's months and
 * one opening row a unit instead of every month since the first.
 */
export class ComplaintStockOpenings1764400000302 extends OpeningsMigration {
  name = 'ComplaintStockOpenings1764400000302';
  protected tables = [{ table: 'complaints.complaint_month', flows: [], stocks: ['pending_delta'] }];
}
