/**
 * The nonces of the signed identities a subgraph accepted lately, so that a captured header
 * serves one request only. A nonce is kept as long as its signature could still pass the
 * time check (twice the window: the signer's clock may be ahead or behind by a window), then
 * forgotten; only signatures that verified are kept, so an outsider cannot fill it.
 */
export class NonceStore {
  /** Nonce → when it may be forgotten; insertion order is expiry order (a constant keep time). */
  private readonly seen = new Map<string, number>();

  constructor(private readonly keepMs: number) {}

  /** Whether the nonce is new (and now remembered); false when it was seen within the window. */
  remember(nonce: string, now = Date.now()): boolean {
    this.forgetOld(now);
    if (this.seen.has(nonce)) return false;
    this.seen.set(nonce, now + this.keepMs);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }

  private forgetOld(now: number): void {
    for (const [nonce, until] of this.seen) {
      if (until > now) return;
      this.seen.delete(nonce);
    }
  }
}
