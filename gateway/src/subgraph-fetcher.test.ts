import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { subgraphFetcher } from './subgraph-fetcher';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the subgraph fetcher', () => {
  let server: Server;
  let url: string;
  let connections = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => setTimeout(() => res.end('{"data":{"ok":true}}'), req.url === '/slow' ? 600 : 0));
    });
    server.on('connection', () => connections++);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });

  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('reuses a kept-alive socket, and closes one idle for longer than its idle time before the server would', async () => {
    const fetch = subgraphFetcher(4, 200);
    const ask = async () => (await fetch(url, { method: 'POST', body: '{}' })).json();
    const before = connections;
    expect(await ask()).toEqual({ data: { ok: true } });
    await sleep(50);
    await ask();
    expect(connections - before).toBe(1); // kept alive
    await sleep(400);
    await ask();
    expect(connections - before).toBe(2); // the idle socket was closed by the fetcher, a new one opened
  });

  it('does not cut a request that takes longer than the idle time (a slow report)', async () => {
    const fetch = subgraphFetcher(4, 200);
    const res = await fetch(url.replace('/graphql', '/slow'), { method: 'POST', body: '{}' });
    expect(await res.json()).toEqual({ data: { ok: true } });
  });
});
