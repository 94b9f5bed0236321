import { RollupMigration } from '@thads/kit';

/**
 * Rollups maintained at write time (kit rollup/): every unit's complaint figures summed over
 * what it covers, one copy a hierarchy epoch, so a read is a lookup. Replaces the month
 * table's stock openings.
 */
export class ComplaintMaintainedRollups1764400000303 extends RollupMigration {
  name = 'ComplaintMaintainedRollups1764400000303';
  protected tables = [{ table: 'complaints.complaint_month', flows: ['received', 'resolved', 'receptions', 'citizens'], stocks: ['pending_delta'] }];
  protected override replacesOpeningsOf = ['complaints.complaint_month'];
}
