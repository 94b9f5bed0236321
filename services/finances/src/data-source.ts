import { createDataSource } from '@thads/kit';
import { MoneyStockOpenings1764400000203 } from './migrations/1764400000203-stock-openings';
import { MoneyMaintainedRollups1764400000204 } from './migrations/1764400000204-maintained-rollups';
import { NumericMoneyAggregates1764400000205 } from './migrations/1764400000205-numeric-money-aggregates';
import { DropMoneyEventFk1764400000202 } from './migrations/1764400000202-drop-event-fk';
import { CreateFinances1764400000200 } from './migrations/1764400000200-create-finances';
import { FinancesWriteSide1764400000201 } from './migrations/1764400000201-finances-write-side';
import { CaseMoney } from './money/case-money.entity';

export const SCHEMA = 'finances';

export function financesDataSource(url: string, poolSize?: number) {
  return createDataSource({
    url,
    schema: SCHEMA,
    entities: [CaseMoney],
    migrations: [
      CreateFinances1764400000200,
      FinancesWriteSide1764400000201,
      DropMoneyEventFk1764400000202,
      MoneyStockOpenings1764400000203,
      MoneyMaintainedRollups1764400000204,
      NumericMoneyAggregates1764400000205,
    ],
    poolSize,
    applicationName: 'finances',
  });
}
