export { start, type RunningGateway } from './server';
export { readGatewayConfig, type GatewayConfig } from './config';
