import type { Identity } from '@thads/kit';

/** What the gateway knows of one request. */
export interface GatewayContext {
  requestId: string;
  identity: Identity;
}
