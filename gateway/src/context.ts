import type { Identity } from './auth/identity';

/** What the gateway knows of one request. */
export interface GatewayContext {
  requestId: string;
  identity: Identity;
}
