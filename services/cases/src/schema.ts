import { buildFederatedSchema, reportModule } from '@thads/kit';
import { AdminMonitoringResolver } from './admin/admin.resolver';
import { CaseMutations } from './cases/case.mutations';
import { CaseQueries } from './cases/case.resolver';
import { CASE_REPORT } from './stats/case-report';
import { OrgUnit, orgUnitReference } from './stats/org-unit.type';

/** The case report's types and resolvers on this subgraph's OrgUnit, made once. */
const caseReport = reportModule(CASE_REPORT, OrgUnit);

export function buildCasesSchema() {
  return buildFederatedSchema(
    { resolvers: [CaseQueries, CaseMutations, ...caseReport.resolvers, AdminMonitoringResolver], orphanedTypes: [OrgUnit] },
    orgUnitReference,
    caseReport.lean,
  );
}
