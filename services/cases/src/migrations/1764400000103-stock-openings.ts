import { OpeningsMigration } from '@thads/kit';

/**
 * Stock openings per quarter (kit rollup/legacy-openings.migration.ts; the maintained rollups replaced them): a rollup reads its period's months and
 * one opening row a unit instead of every month since the first.
 */
export class CaseStockOpenings1764400000103 extends OpeningsMigration {
  name = 'CaseStockOpenings1764400000103';
  protected tables = [
    { table: 'cases.case_month', flows: [], stocks: ['open_delta', 'open_enforceable_delta'] },
    { table: 'cases.admin_month', flows: [], stocks: ['open_delta', 'open_with_decision_delta'] },
  ];
}
