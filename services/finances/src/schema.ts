import { buildFederatedSchema } from '@thads/kit';
import { CaseMoneyQueries } from './money/case-money.resolver';
import { MoneyStatsResolver } from './stats/money-stats.resolver';
import { OrgUnit, orgUnitReference } from './stats/org-unit.type';

export function buildFinancesSchema() {
  return buildFederatedSchema({ resolvers: [CaseMoneyQueries, MoneyStatsResolver], orphanedTypes: [OrgUnit] }, orgUnitReference);
}
