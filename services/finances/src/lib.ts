/** What other packages (the CLI, tests) use of this service without starting it. */
export { financesDataSource, SCHEMA } from './data-source';
export { insertDemoMoney, rebuildMoneyAggregates, clearMoney } from './seed/seed-money';
export { applyMoneyEvent } from './money/money-lifecycle';
export { moneyFigures, MONEY_ROLLUP } from './stats/money-report';
export { buildFinancesSchema } from './schema';
export { start, DEFAULT_PORT } from './server';
export { applyMoneyCommands } from './money/money.writer';
export { moneyCommandsOf } from './money/money-import';
