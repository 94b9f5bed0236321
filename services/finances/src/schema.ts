import { buildFederatedSchema, reportModule } from '@thads/kit';
import { CaseMoneyQueries } from './money/case-money.resolver';
import { MoneyMutations } from './money/money.mutations';
import { MONEY_REPORT } from './stats/money-report';
import { TargetResolver } from './targets/target.resolver';
import { OrgUnit, orgUnitReference } from './stats/org-unit.type';

/** The money report's types and resolvers on this subgraph's OrgUnit, made once. */
const moneyReport = reportModule(MONEY_REPORT, OrgUnit);

export function buildFinancesSchema() {
  return buildFederatedSchema(
    { resolvers: [CaseMoneyQueries, MoneyMutations, ...moneyReport.resolvers, TargetResolver], orphanedTypes: [OrgUnit] },
    orgUnitReference,
    moneyReport.lean,
  );
}
