import type { AddressInfo } from 'node:net';
import type { IncomingMessage } from 'node:http';
import WebSocket, { WebSocketServer } from 'ws';
import { SocketSubscriber, liveValue } from './socket-subscriber';

/** A real server socket and a client that stops reading: the kernel buffers fill, then ws's own. */
async function pair() {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => wss.once('listening', resolve));
  const accepted = new Promise<[WebSocket, IncomingMessage]>((resolve) => wss.once('connection', (ws, req) => resolve([ws, req])));
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
  const frames: string[] = [];
  client.on('message', (data) => frames.push(String(data)));
  await new Promise((resolve) => client.once('open', resolve));
  const [server, request] = await accepted;
  return { server, raw: request.socket, client, frames, close: () => new Promise((r) => (client.close(), wss.close(r))) };
}

describe('a subscriber on a socket', () => {
  it('sends graphql-ws next frames with the value as given', async () => {
    const { server, raw, frames, close } = await pair();
    const sub = new SocketSubscriber(server, raw, 'abc');
    sub.push(liveValue('{"data":{"liveUnit":{"id":"2012"}}}'));
    sub.push(liveValue('{"data":{"liveUnit":{"id":"2012"}}}')); // the value it has already: not sent twice
    // Frames of every length class (7-bit, 16-bit and 64-bit lengths), with Vietnamese text (UTF-8 bytes ≠ characters).
    for (const n of [10, 2000, 70000]) sub.push(liveValue(JSON.stringify({ data: { name: 'Tỉnh Tuyên Quang '.repeat(n / 10) } })));
    // And a frame ws itself sends (graphql-ws's protocol messages) between them stays whole.
    server.send('{"type":"ping"}');
    sub.push(liveValue('{"data":{"n":1}}'));
    await new Promise((r) => setTimeout(r, 200));
    const got = frames.map((f) => JSON.parse(f));
    expect(got[0]).toEqual({ id: 'abc', type: 'next', payload: { data: { liveUnit: { id: '2012' } } } });
    expect(got.slice(1, 4).map((f) => f.payload.data.name.length)).toEqual([10, 2000, 70000].map((n) => 'Tỉnh Tuyên Quang '.length * (n / 10)));
    expect(got.slice(4)).toEqual([{ type: 'ping' }, { id: 'abc', type: 'next', payload: { data: { n: 1 } } }]);
    sub.close();
    await close();
  });

  it('keeps only the latest value for a client that does not read, and delivers it once the client reads again', async () => {
    const { server, raw, client, frames, close } = await pair();
    const sub = new SocketSubscriber(server, raw, '1');
    (client as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
    const filler = 'x'.repeat(16 * 1024);
    const pushes = 2000; // 32 MB if all were queued
    for (let i = 1; i <= pushes; i++) sub.push(liveValue(`{"data":{"n":${i},"f":"${filler}"}}`));
    // Far less than everything is buffered: the kernel's buffers, ws's up to the high-water mark, then one latest frame.
    expect(server.bufferedAmount).toBeLessThan(4 * 1024 * 1024);
    (client as unknown as { _socket: { resume(): void } })._socket.resume();
    const deadline = Date.now() + 10000;
    while (Date.now() < deadline && !frames.some((f) => JSON.parse(f).payload.data.n === pushes)) await new Promise((r) => setTimeout(r, 50));
    const ns = frames.map((f) => JSON.parse(f).payload.data.n as number);
    expect(ns.at(-1)).toBe(pushes);
    expect(ns.length).toBeLessThan(pushes);
    expect([...ns].sort((a, b) => a - b)).toEqual(ns); // in order, never an older value after a newer one
    sub.close();
    await close();
  }, 20000);
});
