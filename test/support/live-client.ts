import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { token } from './auth';

export interface LiveSubscription<T> {
  values: T[];
  errors: unknown[];
  /** Resolves with the first value that satisfies the predicate (already received or future). */
  until(predicate: (value: T) => boolean, timeoutMs?: number): Promise<T>;
  close(): void;
}

const wsUrl = (url: string) => url.replace(/^http/, 'ws');

/**
 * A real graphql-ws client, as a dashboard uses it (retrying when the gateway restarts). With a
 * function for the URL, each connection asks it where to go: a load balancer's choice of replica.
 */
export function liveClient(
  url: string | (() => string),
  connectionParams: Record<string, unknown> = { authorization: `Bearer ${token('ministry')}` },
  retry = true,
): Client {
  return createClient({
    url: typeof url === 'string' ? wsUrl(url) : () => wsUrl(url()),
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: retry ? 100 : 0,
    retryWait: async () => new Promise((r) => setTimeout(r, 250)),
    shouldRetry: () => retry,
    lazy: true,
  });
}

export function subscribe<T = any>(client: Client, query: string, variables?: Record<string, unknown>): LiveSubscription<T> {
  const values: T[] = [];
  const errors: unknown[] = [];
  const waiters: { predicate: (v: T) => boolean; resolve: (v: T) => void }[] = [];
  const stop = client.subscribe<T>(
    { query, variables },
    {
      next: (v) => {
        if (v.errors) errors.push(...v.errors.map((e) => ({ message: e.message, code: e.extensions?.code })));
        values.push(v.data as T);
        for (const w of [...waiters])
          if (w.predicate(v.data as T)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(v.data as T);
          }
      },
      error: (e) =>
        errors.push(
          e instanceof Error
            ? e.message
            : (e as { code?: number; reason?: string }).code !== undefined
              ? { code: (e as { code: number }).code, reason: (e as { reason: string }).reason }
              : e,
        ),
      complete: () => {},
    },
  );
  return {
    values,
    errors,
    until: (predicate, timeoutMs = 15000) => {
      const found = values.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no matching value within ${timeoutMs} ms; got ${JSON.stringify(values.slice(-3))} errors ${JSON.stringify(errors)}`)),
          timeoutMs,
        );
        waiters.push({ predicate, resolve: (v) => (clearTimeout(timer), resolve(v)) });
      });
    },
    close: stop,
  };
}
