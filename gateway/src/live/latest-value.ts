/**
 * An async iterator that holds only the latest value: a consumer that reads slowly (a
 * slow client's socket) skips the values it missed and gets the newest, so no queue grows.
 */
export class LatestValue<T> implements AsyncGenerator<T, undefined, unknown> {
  private value?: T;
  private has = false;
  private waiting?: (result: IteratorResult<T, undefined>) => void;
  private done = false;

  constructor(private readonly onClose: () => void) {}

  push(value: T): void {
    if (this.done) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value, done: false });
      return;
    }
    this.value = value;
    this.has = true;
  }

  next(): Promise<IteratorResult<T, undefined>> {
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    if (this.has) {
      this.has = false;
      const value = this.value as T;
      this.value = undefined;
      return Promise.resolve({ value, done: false });
    }
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<T, undefined>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error: unknown): Promise<IteratorResult<T, undefined>> {
    this.close();
    return Promise.reject(error);
  }

  close(): void {
    if (this.done) return;
    this.done = true;
    this.waiting?.({ value: undefined, done: true });
    this.waiting = undefined;
    this.onClose();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
