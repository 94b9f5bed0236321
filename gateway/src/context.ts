import type { Identity } from '@thads/kit';

/** What the gateway knows of one request. */
export interface GatewayContext {
  requestId: string;
  identity: Identity;
  /** A refresh run by the live layer (merged subscriptions that were checked one by one). */
  live?: boolean;
}
