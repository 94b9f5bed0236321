import { createDataSource } from '@thads/kit';
import { EnforcementCase } from './cases/case.entity';
import { CreateCases1764400000100 } from './migrations/1764400000100-create-cases';

export const SCHEMA = 'cases';

export function casesDataSource(url: string, poolSize?: number) {
  return createDataSource({ url, schema: SCHEMA, entities: [EnforcementCase], migrations: [CreateCases1764400000100], poolSize, applicationName: 'cases' });
}
