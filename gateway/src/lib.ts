export { start } from './server';
export { readGatewayConfig, type GatewayConfig } from './config';
