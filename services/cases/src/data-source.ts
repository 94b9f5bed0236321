import { createDataSource } from '@thads/kit';
import { CaseStockOpenings1764400000103 } from './migrations/1764400000103-stock-openings';
import { CaseMaintainedRollups1764400000104 } from './migrations/1764400000104-maintained-rollups';
import { CaseTerminatedFlow1764400000105 } from './migrations/1764400000105-terminated-flow';
import { DropCaseEventFk1764400000102 } from './migrations/1764400000102-drop-event-fk';
import { EnforcementCase } from './cases/case.entity';
import { CreateCases1764400000100 } from './migrations/1764400000100-create-cases';
import { CasesWriteSide1764400000101 } from './migrations/1764400000101-cases-write-side';

export const SCHEMA = 'cases';

export function casesDataSource(url: string, poolSize?: number) {
  return createDataSource({
    url,
    schema: SCHEMA,
    entities: [EnforcementCase],
    migrations: [
      CreateCases1764400000100,
      CasesWriteSide1764400000101,
      DropCaseEventFk1764400000102,
      CaseStockOpenings1764400000103,
      CaseMaintainedRollups1764400000104,
      CaseTerminatedFlow1764400000105,
    ],
    poolSize,
    applicationName: 'cases',
  });
}
