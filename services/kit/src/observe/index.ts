export * from './metrics';
export * from './operation-names';
export * from './pools';
export * from './request-observer';
export * from './subgraph-fetch';
export * from './tracing';
export { statementName } from './db-spans';
