import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import WebSocket from 'ws';
import { SubscriptionCaps } from '../limits/subscription-caps';
import type { LiveFanout } from './live-fanout';
import { LiveMetrics } from './metrics';
import { attachLiveServer } from './ws-server';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const identity = { subject: 'analyst', role: 'ministry' as const, units: [], families: [] };

describe('graphql-ws server: connections', () => {
  let http: Server;
  let live: { dispose(): Promise<void> };
  let metrics: LiveMetrics;
  let url: string;
  let authenticating = 0;

  beforeAll(async () => {
    http = createServer();
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/graphql`;
    metrics = new LiveMetrics();
    live = attachLiveServer({
      httpServer: http,
      schema: () => undefined,
      fanout: {} as LiveFanout,
      // A slow check of the credentials (an API key looked up in a busy database, say).
      authenticate: async () => {
        authenticating++;
        await sleep(150);
        return { identity, principal: 'sub:analyst', expiresAt: Date.now() + 3_600_000, jti: 'token-1' };
      },
      authorize: async () => null,
      caps: new SubscriptionCaps(0, 0),
      parseLimits: { maxTokens: 1000, maxNesting: 64 },
      metrics,
      logger: pino({ level: 'silent' }),
    });
  });

  afterAll(async () => {
    await live.dispose();
    await new Promise((resolve) => http.close(resolve));
  });

  /** Opens a connection and sends connection_init; resolves with the socket once the server has answered or closed. */
  const connect = () =>
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url, 'graphql-transport-ws');
      ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: {} })));
      ws.on('message', () => resolve(ws));
      ws.on('error', reject);
    });

  it('keeps nothing of a connection closed while its credentials were checked, and counts the ones that stay', async () => {
    const early = new WebSocket(url, 'graphql-transport-ws');
    await new Promise((resolve) => early.on('open', resolve));
    early.send(JSON.stringify({ type: 'connection_init', payload: {} }));
    await sleep(30); // the server is checking the credentials…
    expect(authenticating).toBe(1);
    early.close(); // …when the client goes
    await sleep(250); // the check has ended
    expect(metrics.connections).toBe(0);

    const stays = await connect();
    expect(metrics.connections).toBe(1);
    stays.close();
    await sleep(100);
    expect(metrics.connections).toBe(0);
  });
});
