// Live values over graphql-ws on /graphql: one connection for the tab, its state for the
// status line, and the time a value last changed.

import { createClient, type Client } from 'graphql-ws';
import { ApiError, apiErrorOf } from './api.js';
import { authorization } from './session.js';

/** Close codes after which connecting again cannot help: the user has to act. */
const FINAL_CLOSE_CODES = [4401, 4403, 4429];

/** Whether graphql-ws's close event (or error) is one of those. */
const isFinalClose = (event: unknown): boolean => {
  const code = (event as { code?: unknown } | null)?.code;
  return typeof code === 'number' && FINAL_CLOSE_CODES.includes(code);
};

/** The connection as the status line shows it. */
export type LiveState = 'idle' | 'connecting' | 'connected' | 'reconnecting';

/** What the status line listens to. */
export type LiveListener = (state: LiveState, lastChange: Date | undefined) => void;

/**
 * The tab's live connection: subscriptions re-sent by the gateway after every committed
 * change, retried for ever after a lost connection (its state shows it), closed and made
 * anew when the credential changes.
 */
export class Live {
  private client: Client | undefined;
  private state: LiveState = 'idle';
  private lastChange: Date | undefined;
  private active = 0;

  constructor(private readonly listener: LiveListener) {}

  private set(state: LiveState): void {
    this.state = state;
    this.listener(state, this.lastChange);
  }

  private connect(): Client {
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
    return createClient({
      url,
      connectionParams: () => {
        const auth = authorization();
        return auth ? { authorization: auth } : {};
      },
      lazy: true,
      keepAlive: 10_000,
      retryAttempts: Infinity,
      // A lost connection is tried again within 0.5–4 s. Refusals are final and shown: of the
      // credential (4401), of too many failed sign-ins (4429), and a forbidden connection (4403),
      // which graphql-ws would otherwise try again for ever.
      retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(4000, 500 * 2 ** retries))),
      shouldRetry: (event) => !isFinalClose(event),
      on: {
        connecting: (isRetry) => this.set(isRetry ? 'reconnecting' : 'connecting'),
        connected: () => this.set('connected'),
        // After a final refusal nothing is tried again: the subscriptions' errors say what to do.
        closed: (event) => this.set(this.active > 0 && !isFinalClose(event) ? 'reconnecting' : 'idle'),
      },
    });
  }

  /** Subscribes with a document whose root is liveUnit, liveMinistry or a live ranking; returns the unsubscribe. */
  subscribe<T>(document: string, variables: Record<string, unknown>, onValue: (data: T) => void, onError: (error: ApiError) => void): () => void {
    this.client ??= this.connect();
    this.active++;
    let last: string | undefined;
    const stop = this.client.subscribe<T>(
      { query: document, variables },
      {
        next: (result) => {
          if (result.errors?.length) return onError(apiErrorOf(result.errors));
          const text = JSON.stringify(result.data);
          if (last !== undefined && text !== last) {
            this.lastChange = new Date();
            this.listener(this.state, this.lastChange);
          }
          last = text;
          if (result.data) onValue(result.data as T);
        },
        error: (err) => {
          if (Array.isArray(err)) return onError(apiErrorOf(err as { message: string; extensions?: { code?: string } }[]));
          const close = err as { code?: number; reason?: string };
          if (typeof close.code === 'number')
            return onError(
              new ApiError(
                close.code === 4401 ? 'UNAUTHENTICATED' : close.code === 4403 ? 'FORBIDDEN' : close.code === 4429 ? 'RATE_LIMITED' : 'NETWORK',
                close.reason || `WebSocket ${close.code}`,
              ),
            );
          onError(new ApiError('NETWORK', err instanceof Error ? err.message : String(err)));
        },
        complete: () => {},
      },
    );
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      this.active--;
      stop();
    };
  }

  /** Closes the connection (a new credential, a new view): the next subscription opens another. */
  async reset(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.active = 0;
    this.lastChange = undefined;
    this.set('idle');
    await client?.dispose();
  }
}
