/** What the gateway knows of one request. */
export interface GatewayContext {
  requestId: string;
}
