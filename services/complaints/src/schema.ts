import { buildFederatedSchema } from '@thads/kit';
import { PetitionMutations } from './petitions/petition.mutations';
import { PetitionQueries } from './petitions/petition.resolver';
import { ComplaintRankingResolver } from './stats/complaint-ranking';
import { ComplaintStatsResolver } from './stats/complaint-stats.resolver';
import { OrgUnit, orgUnitReference } from './stats/org-unit.type';

export function buildComplaintsSchema() {
  return buildFederatedSchema({ resolvers: [PetitionQueries, PetitionMutations, ComplaintStatsResolver, ComplaintRankingResolver], orphanedTypes: [OrgUnit] }, orgUnitReference);
}
