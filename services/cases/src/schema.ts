import { buildFederatedSchema } from '@thads/kit';
import { AdminMonitoringResolver } from './admin/admin.resolver';
import { CaseMutations } from './cases/case.mutations';
import { CaseQueries } from './cases/case.resolver';
import { CaseRankingResolver } from './stats/case-ranking';
import { CaseStatsResolver } from './stats/case-stats.resolver';
import { OrgUnit, orgUnitReference } from './stats/org-unit.type';

export function buildCasesSchema() {
  return buildFederatedSchema({ resolvers: [CaseQueries, CaseMutations, CaseStatsResolver, CaseRankingResolver, AdminMonitoringResolver], orphanedTypes: [OrgUnit] }, orgUnitReference);
}
