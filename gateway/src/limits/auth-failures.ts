import { createHash } from 'node:crypto';
import { rateLimited } from './rate-limit';

export interface AuthFailureOptions {
  /** Failed authentications one address may make in a window before it is held back (0: no limit). */
  failures: number;
  windowMs: number;
  /** The first hold; each further attempt doubles it. @default 1000 */
  firstDelayMs?: number;
  /** @default 15 minutes */
  maxDelayMs?: number;
}

interface AddressRecord {
  failures: number;
  since: number;
  blockedUntil: number;
}

/** How long a credential that passed is let through a held-back address. */
const KNOWN_GOOD_MS = 10 * 60 * 1000;
const MAX_ENTRIES = 100000;

const fingerprint = (credential: string) => createHash('sha256').update(credential).digest('base64');

/**
 * Failed authentications per client address. Past `failures` in a window the address is
 * held back: every further attempt is refused with RATE_LIMITED before any key is looked
 * up, and each one doubles the hold (so Retry-After grows), up to a ceiling. A credential
 * that passed in the last ten minutes still passes, so that one caller guessing keys from
 * an address does not lock out the others behind it (a shared NAT, say); a key never seen
 * working waits like the guesses do, since telling it from them takes the lookup.
 */
export class AuthFailureLimiter {
  private readonly byAddress = new Map<string, AddressRecord>();
  private readonly good = new Map<string, number>();
  private readonly firstDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(private readonly options: AuthFailureOptions) {
    this.firstDelayMs = options.firstDelayMs ?? 1000;
    this.maxDelayMs = options.maxDelayMs ?? 15 * 60 * 1000;
  }

  private delay(over: number): number {
    return Math.min(this.maxDelayMs, this.firstDelayMs * 2 ** Math.min(30, over));
  }

  /** Refuses the attempt (throws RATE_LIMITED) while the address is held back and the credential is not one seen passing. */
  check(address: string, credential: string, now = Date.now()): void {
    if (this.options.failures <= 0) return;
    const record = this.byAddress.get(address);
    if (!record || record.blockedUntil <= now) return;
    if ((this.good.get(fingerprint(credential)) ?? 0) > now) return;
    record.failures++;
    record.blockedUntil = now + this.delay(record.failures - this.options.failures - 1);
    const retryAfter = Math.ceil((record.blockedUntil - now) / 1000);
    throw rateLimited(
      `Too many failed authentications from your address; retry in ${retryAfter} s. Each attempt before then doubles the wait.`,
      retryAfter,
      'authentication',
    );
  }

  failed(address: string, now = Date.now()): void {
    if (this.options.failures <= 0) return;
    let record = this.byAddress.get(address);
    if (!record || (now - record.since > this.options.windowMs && record.blockedUntil <= now)) record = { failures: 0, since: now, blockedUntil: 0 };
    record.failures++;
    if (record.failures > this.options.failures) record.blockedUntil = now + this.delay(record.failures - this.options.failures - 1);
    this.byAddress.set(address, record);
    if (this.byAddress.size > MAX_ENTRIES) this.prune(now);
  }

  succeeded(credential: string, now = Date.now()): void {
    if (this.options.failures <= 0) return;
    this.good.set(fingerprint(credential), now + KNOWN_GOOD_MS);
    if (this.good.size > MAX_ENTRIES) this.good.clear();
  }

  /** Forgets addresses that are neither held back nor inside their window. */
  private prune(now: number): void {
    for (const [address, record] of this.byAddress)
      if (record.blockedUntil <= now && now - record.since > this.options.windowMs) this.byAddress.delete(address);
    if (this.byAddress.size > MAX_ENTRIES) this.byAddress.clear();
  }
}
