/** What other packages (the CLI, tests) use of this service without starting it. */
export { casesDataSource, SCHEMA } from './data-source';
export { insertDemoCases, rebuildCaseAggregates, clearCases } from './seed/seed-cases';
export { applyCaseEvent } from './cases/case-lifecycle';
export { caseFigures, CASE_ROLLUPS } from './stats/case-report';
export { buildCasesSchema } from './schema';
export { start, DEFAULT_PORT } from './server';
export { applyCaseCommands } from './cases/case.writer';
export { caseCommandsOf } from './cases/case-import';
export type { CaseCommand } from './cases/case-commands';
