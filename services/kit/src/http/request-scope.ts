import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line and error of one request can reach without threading it through. */
export interface RequestScope {
  requestId: string;
}

export const requestScope = new AsyncLocalStorage<RequestScope>();

export function currentRequestId(): string | undefined {
  return requestScope.getStore()?.requestId;
}
