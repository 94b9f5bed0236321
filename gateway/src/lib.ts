export { start, type RunningGateway } from './server';
export { readGatewayConfig, type GatewayConfig } from './config';
export { signHs256 } from './auth/jwt';
export { apiSchemaSdl } from './api-schema';
