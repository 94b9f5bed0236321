import { createDataSource } from '@thads/kit';
import { ComplaintStockOpenings1764400000302 } from './migrations/1764400000302-stock-openings';
import { ComplaintMaintainedRollups1764400000303 } from './migrations/1764400000303-maintained-rollups';
import { CreateComplaints1764400000300 } from './migrations/1764400000300-create-complaints';
import { ComplaintsWriteSide1764400000301 } from './migrations/1764400000301-complaints-write-side';
import { Petition } from './petitions/petition.entity';

export const SCHEMA = 'complaints';

export function complaintsDataSource(url: string, poolSize?: number) {
  return createDataSource({
    url,
    schema: SCHEMA,
    entities: [Petition],
    migrations: [CreateComplaints1764400000300, ComplaintsWriteSide1764400000301, ComplaintStockOpenings1764400000302, ComplaintMaintainedRollups1764400000303],
    poolSize,
    applicationName: 'complaints',
  });
}
