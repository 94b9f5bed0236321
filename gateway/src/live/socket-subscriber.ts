import type { Socket } from 'node:net';
import WebSocket from 'ws';

/** Bytes a client may leave unread before it is treated as slow and only its latest value is kept. */
const HIGH_WATER = 64 * 1024;
const RETRY_MS = 100;

/** A live value: the execution result serialized once, and its UTF-8 bytes encoded once for every subscriber. */
export interface LiveValue {
  text: string;
  bytes: Buffer;
}

export function liveValue(text: string): LiveValue {
  return { text, bytes: Buffer.from(text) };
}

/** An unmasked, final WebSocket text frame (a server's) around prefix + value + suffix, in one buffer. */
function textFrame(prefix: Buffer, value: Buffer, suffix: Buffer): Buffer {
  const length = prefix.length + value.length + suffix.length;
  const header = length < 126 ? 2 : length < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = 0x81; // FIN, text
  if (header === 2) frame[1] = length;
  else if (header === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  let at = header;
  at += prefix.copy(frame, at);
  at += value.copy(frame, at);
  suffix.copy(frame, at);
  return frame;
}

const SUFFIX = Buffer.from('}');

/**
 * One subscription on one graphql-ws socket. The live layer serializes and encodes each
 * value once and hands every subscriber the same bytes; the subscriber writes the
 * graphql-ws "next" frame, header included, straight to the connection's TCP socket in one
 * write (ws's own send would encode the text again and write header and body apart, per
 * subscriber), instead of one async iteration, one JSON.stringify and one promise chain a
 * subscriber in graphql-ws's own loop. graphql-ws still runs the protocol (handshake,
 * subscribe, complete, ping) over ws: whole frames either way, so they never interleave.
 * To graphql-ws this is an async iterator that yields nothing and ends when the
 * subscription does.
 *
 * A slow client (more than 64 KiB unread on its socket) never gets a growing queue: the
 * newest frame waits, replacing any older one, until the socket drains.
 */
export class SocketSubscriber implements AsyncGenerator<never, undefined, unknown> {
  private readonly prefix: Buffer;
  private pending?: LiveValue;
  /** The last value handed to it. */
  private last?: string;
  private retry?: NodeJS.Timeout;
  private ended?: () => void;
  private done = false;
  onClose: () => void = () => {};

  constructor(
    private readonly socket: WebSocket,
    /** The connection's TCP socket, which the frames are written to. */
    private readonly raw: Socket,
    id: string,
  ) {
    this.prefix = Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":`);
  }

  /** Sends a value. The value it has already (a subscriber that came in while a newer value waited for its window, say) is not sent again. */
  push(value: LiveValue): void {
    if (this.done || value.text === this.last) return;
    this.last = value.text;
    this.pending = value;
    if (!this.retry) this.flush(); // else the waiting retry sends this newest frame
  }

  private flush(): void {
    this.retry = undefined;
    const value = this.pending;
    if (this.done || value === undefined) return;
    // ws counts what waits in the TCP socket's buffer too.
    if (this.socket.bufferedAmount > HIGH_WATER) {
      this.retry = setTimeout(() => this.flush(), RETRY_MS);
      return;
    }
    this.pending = undefined;
    if (this.socket.readyState === WebSocket.OPEN && this.raw.writable) this.raw.write(textFrame(this.prefix, value.bytes, SUFFIX));
  }

  close(): void {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.retry);
    this.ended?.();
    this.onClose();
  }

  next(): Promise<IteratorResult<never, undefined>> {
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.ended = () => resolve({ value: undefined, done: true })));
  }

  return(): Promise<IteratorResult<never, undefined>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error: unknown): Promise<IteratorResult<never, undefined>> {
    this.close();
    return Promise.reject(error);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
