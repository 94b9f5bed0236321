export { start, type RunningGateway } from './server';
export { readGatewayConfig, type GatewayConfig } from './config';
export { signHs256 } from './auth/jwt';
export { REVOCATION_REFRESH_MS } from './auth/revocation-list';
export { apiSchemaSdl } from './api-schema';
