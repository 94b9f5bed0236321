import { buildFederatedSchema } from '@thads/kit';
import { PetitionQueries } from './petitions/petition.resolver';
import { ComplaintStatsResolver } from './stats/complaint-stats.resolver';
import { OrgUnit, orgUnitReference } from './stats/org-unit.type';

export function buildComplaintsSchema() {
  return buildFederatedSchema({ resolvers: [PetitionQueries, ComplaintStatsResolver], orphanedTypes: [OrgUnit] }, orgUnitReference);
}
