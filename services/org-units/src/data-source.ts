import { createDataSource } from '@thads/kit';
import { Lineage } from './lineage/lineage.entity';
import { CreateOrgUnits1764400000000 } from './migrations/1764400000000-create-org-units';
import { CreateReportingClose1764400000001 } from './migrations/1764400000001-create-reporting-close';
import { RollupEpochs1764400000002 } from './migrations/1764400000002-rollup-epochs';
import { RollupFanOut1764400000003 } from './migrations/1764400000003-rollup-fan-out';
import { OrgUnit } from './units/org-unit.entity';

export const SCHEMA = 'org_units';

export function orgUnitsDataSource(url: string, poolSize?: number) {
  return createDataSource({
    url,
    schema: SCHEMA,
    entities: [OrgUnit, Lineage],
    migrations: [CreateOrgUnits1764400000000, CreateReportingClose1764400000001, RollupEpochs1764400000002, RollupFanOut1764400000003],
    poolSize,
    applicationName: 'org-units',
  });
}
