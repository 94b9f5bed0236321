import { Agent, request } from 'node:http';
import { Agent as TlsAgent, request as tlsRequest } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { Fetcher, FetcherHeaders, FetcherRequestInit, FetcherResponse } from '@apollo/utils.fetcher';

/** Response headers, read-only, from node:http's lower-cased record. */
class ResponseHeaders implements FetcherHeaders {
  private readonly map = new Map<string, string>();

  constructor(raw: IncomingHttpHeaders) {
    for (const [name, value] of Object.entries(raw)) if (value !== undefined) this.map.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  get(name: string): string | null {
    return this.map.get(name.toLowerCase()) ?? null;
  }
  has(name: string): boolean {
    return this.map.has(name.toLowerCase());
  }
  append(): void {
    throw new Error('response headers are read-only');
  }
  delete(): void {
    throw new Error('response headers are read-only');
  }
  set(): void {
    throw new Error('response headers are read-only');
  }
  entries(): IterableIterator<[string, string]> {
    return this.map.entries();
  }
  keys(): IterableIterator<string> {
    return this.map.keys();
  }
  values(): IterableIterator<string> {
    return this.map.values();
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.map.entries();
  }
}

/** A whole response body in memory: what the gateway reads of a subgraph's answer, without a WHATWG Response per call. */
class BufferedResponse implements FetcherResponse {
  bodyUsed = false;
  readonly redirected = false;

  constructor(
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    readonly headers: ResponseHeaders,
    private readonly body: Buffer,
  ) {}

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }
  async text(): Promise<string> {
    this.bodyUsed = true;
    return this.body.toString('utf8');
  }
  async json(): Promise<any> {
    return JSON.parse(await this.text());
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    this.bodyUsed = true;
    return this.body.buffer.slice(this.body.byteOffset, this.body.byteOffset + this.body.byteLength) as ArrayBuffer;
  }
  clone(): FetcherResponse {
    return new BufferedResponse(this.url, this.status, this.statusText, this.headers, this.body);
  }
}

/**
 * The gateway's HTTP client for its subgraphs: plain `node:http` over kept-alive sockets.
 * Apollo's default (make-fetch-happen) builds a proxy-aware agent and a stack trace per
 * request, about a tenth of the gateway's CPU under write load; subgraphs are plain HTTP
 * on a private network, so none of that is needed (https URLs work too). Sockets are
 * plenty (256 a subgraph) so that a live refresh never waits behind queued mutations here:
 * the subgraphs keep their own pools for reads and for writes.
 *
 * A socket idle for `idleMs` is closed here, well before the subgraph's server closes it
 * (its keep-alive timeout, 30 s): reused at the moment the server closes it, a request fails
 * with a reset connection, and a mutation is not retried (seen under heavy load as an internal
 * error on a write, when the servers kept Node's 5 s).
 */
export function subgraphFetcher(maxSockets = 256, idleMs = 4000): Fetcher {
  const plain = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, timeout: idleMs });
  const tls = new TlsAgent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, timeout: idleMs });
  return (url: string, init: FetcherRequestInit = {}): Promise<FetcherResponse> =>
    new Promise((resolve, reject) => {
      const secure = url.startsWith('https:');
      const agent = secure ? tls : plain;
      const req = (secure ? tlsRequest : request)(
        url,
        { method: init.method ?? 'GET', headers: init.headers, agent, signal: init.signal as AbortSignal | undefined },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () =>
            resolve(new BufferedResponse(url, res.statusCode ?? 502, res.statusMessage ?? '', new ResponseHeaders(res.headers), Buffer.concat(chunks))),
          );
        },
      );
      req.on('error', reject);
      req.end(init.body);
    });
}
