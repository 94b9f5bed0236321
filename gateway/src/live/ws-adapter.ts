import type { IncomingMessage } from 'node:http';
import { CloseCode, handleProtocols, makeServer, type ServerOptions } from 'graphql-ws';
import type { Logger } from 'pino';
import type { WebSocket, WebSocketServer } from 'ws';

/** What each connection's context carries, as graphql-ws's own adapter for `ws` gives it. */
export interface SocketExtra {
  socket: WebSocket;
  request: IncomingMessage;
}

/** Message types only a server sends: graphql-ws's server takes one from a client for a fault of its own (4500). */
const SERVER_ONLY = new Set(['connection_ack', 'next', 'error']);

/** The `type` of a message, when it is a JSON object that has one. */
function typeOf(text: string): unknown {
  try {
    const message = JSON.parse(text) as unknown;
    return message && typeof message === 'object' ? (message as { type?: unknown }).type : undefined;
  } catch {
    return undefined; // graphql-ws closes with 4400 itself
  }
}

/**
 * graphql-ws served on a `ws` server, as `graphql-ws/use/ws` does (the same protocol
 * handling, keep-alive pings) but with a client's mistakes answered as such: a message of a
 * type only servers send closes with 4400 (that adapter closed with 4500, an internal error,
 * and put the exception's text in the close reason), a frame the socket library refuses
 * (not UTF-8: 1007, too large: 1009) is closed by it and logged at debug level, and an
 * unexpected failure closes with 4500 and a reason that tells nothing, logged with pino.
 */
export function serveGraphQLWs<P extends Record<string, unknown> | undefined, E extends Record<PropertyKey, unknown>>(
  options: ServerOptions<P, E & SocketExtra>,
  wss: WebSocketServer,
  logger: Logger,
  keepAliveMs = 12000,
): { dispose(): Promise<void> } {
  const server = makeServer<P, E & SocketExtra>(options);
  wss.options.handleProtocols = handleProtocols;
  wss.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    socket.on('error', (err) => logger.debug({ err: err.message }, 'a live connection sent what the WebSocket library refuses'));
    let pongWait: NodeJS.Timeout | undefined;
    const pings = setInterval(() => {
      if (socket.readyState !== socket.OPEN) return;
      pongWait = setTimeout(() => socket.terminate(), keepAliveMs);
      socket.once('pong', () => clearTimeout(pongWait));
      socket.ping();
    }, keepAliveMs);
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve, reject) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            socket.send(data, (err) => (err ? reject(err) : resolve()));
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (cb) =>
          socket.on('message', (data) => {
            const text = String(data as Buffer);
            if (SERVER_ONLY.has(typeOf(text) as string)) return socket.close(CloseCode.BadRequest, 'Invalid message received');
            cb(text).catch((err: unknown) => {
              logger.error({ err }, 'a live connection failed while handling a message');
              socket.close(CloseCode.InternalServerError, 'Internal server error');
            });
          }),
      },
      { socket, request } as E & SocketExtra,
    );
    socket.once('close', (code, reason) => {
      clearTimeout(pongWait);
      clearInterval(pings);
      void closed(code, String(reason));
    });
  });
  return {
    dispose: async () => {
      for (const client of wss.clients) client.close(1001, 'Going away');
      wss.removeAllListeners('connection');
      await new Promise<void>((resolve, reject) => wss.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
