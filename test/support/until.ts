const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Probes every `everyMs` until the probe gives a value (not undefined); after `ms`, fails naming what it waited for. */
export async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 60000, everyMs = 200): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}
