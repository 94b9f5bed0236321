import { buildFederatedSchema, reportModule } from '@thads/kit';
import { PetitionMutations } from './petitions/petition.mutations';
import { PetitionQueries } from './petitions/petition.resolver';
import { COMPLAINT_REPORT } from './stats/complaint-report';
import { OrgUnit, orgUnitReference } from './stats/org-unit.type';

/** The complaint report's types and resolvers on this subgraph's OrgUnit, made once. */
const complaintReport = reportModule(COMPLAINT_REPORT, OrgUnit);

export function buildComplaintsSchema() {
  return buildFederatedSchema(
    { resolvers: [PetitionQueries, PetitionMutations, ...complaintReport.resolvers], orphanedTypes: [OrgUnit] },
    orgUnitReference,
    complaintReport.lean,
  );
}
