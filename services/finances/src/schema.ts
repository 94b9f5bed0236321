import { buildFederatedSchema } from '@thads/kit';
import { CaseMoneyQueries } from './money/case-money.resolver';
import { MoneyMutations } from './money/money.mutations';
import { MoneyRankingResolver } from './stats/money-ranking';
import { MoneyStatsResolver } from './stats/money-stats.resolver';
import { TargetResolver } from './targets/target.resolver';
import { OrgUnit, orgUnitReference } from './stats/org-unit.type';

export function buildFinancesSchema() {
  return buildFederatedSchema({ resolvers: [CaseMoneyQueries, MoneyMutations, MoneyStatsResolver, MoneyRankingResolver, TargetResolver], orphanedTypes: [OrgUnit] }, orgUnitReference);
}
