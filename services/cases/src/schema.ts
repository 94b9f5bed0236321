import { buildFederatedSchema } from '@thads/kit';
import { CaseQueries } from './cases/case.resolver';
import { CaseStatsResolver } from './stats/case-stats.resolver';
import { OrgUnit, orgUnitReference } from './stats/org-unit.type';

export function buildCasesSchema() {
  return buildFederatedSchema({ resolvers: [CaseQueries, CaseStatsResolver], orphanedTypes: [OrgUnit] }, orgUnitReference);
}
