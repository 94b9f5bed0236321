import WebSocket from 'ws';

/** Bytes a client may leave unread before it is treated as slow and only its latest value is kept. */
const HIGH_WATER = 64 * 1024;
const RETRY_MS = 100;

/**
 * One subscription on one graphql-ws socket. The live registry serializes each value once
 * and hands every subscriber the same JSON; the subscriber writes the graphql-ws "next"
 * frame straight to its socket, instead of one async iteration, one JSON.stringify and
 * one promise chain a subscriber in graphql-ws's own loop. graphql-ws still runs the
 * protocol (handshake, subscribe, complete, ping): to it this is an async iterator that
 * yields nothing and ends when the subscription does.
 *
 * A slow client (more than 64 KiB unread on its socket) never gets a growing queue: the
 * newest frame waits, replacing any older one, until the socket drains.
 */
export class SocketSubscriber implements AsyncGenerator<never, undefined, unknown> {
  private readonly prefix: string;
  private pending?: string;
  /** The last value handed to it. */
  private last?: string;
  private retry?: NodeJS.Timeout;
  private ended?: () => void;
  private done = false;
  onClose: () => void = () => {};

  constructor(
    private readonly socket: WebSocket,
    id: string,
  ) {
    this.prefix = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
  }

  /** Sends a value: the execution result, already serialized. The value it has already (a subscriber that came in while a newer value waited for its window, say) is not sent again. */
  push(payloadJson: string): void {
    if (this.done || payloadJson === this.last) return;
    this.last = payloadJson;
    this.pending = `${this.prefix}${payloadJson}}`;
    if (!this.retry) this.flush(); // else the waiting retry sends this newest frame
  }

  private flush(): void {
    this.retry = undefined;
    const frame = this.pending;
    if (this.done || frame === undefined) return;
    if (this.socket.bufferedAmount > HIGH_WATER) {
      this.retry = setTimeout(() => this.flush(), RETRY_MS);
      return;
    }
    this.pending = undefined;
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(frame);
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
