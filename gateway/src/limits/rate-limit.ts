import { GraphQLError } from 'graphql';
import { ErrorCode } from '@thads/kit';

/** Which limit refused a request, in `extensions.limit`. */
export type RateLimit = 'principal' | 'global' | 'authentication';

/** RATE_LIMITED (429), with the seconds to wait in `retryAfter` and the Retry-After header. */
export function rateLimited(message: string, retryAfter: number, limit: RateLimit): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.RATE_LIMITED, limit, retryAfter, http: { status: 429, headers: new Map([['retry-after', String(retryAfter)]]) } },
  });
}

/** A token bucket per key: `perMinute` requests a minute, refilled continuously (0: no limit). */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly limit: RateLimit,
    private readonly refusal: (perMinute: number, retryAfter: number) => string,
  ) {}

  take(key: string, now = Date.now()): void {
    if (this.perMinute <= 0) return;
    const bucket = this.buckets.get(key) ?? { tokens: this.perMinute, at: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + ((now - bucket.at) * this.perMinute) / 60000);
    bucket.at = now;
    if (bucket.tokens < 1) {
      const retryAfter = Math.ceil(((1 - bucket.tokens) * 60) / this.perMinute);
      this.buckets.set(key, bucket);
      throw rateLimited(this.refusal(this.perMinute, retryAfter), retryAfter, this.limit);
    }
    bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    if (this.buckets.size > 100000) this.buckets.clear();
  }
}

/**
 * The request budgets: one per principal (every key and token of one organisation together,
 * or one client address for anonymous callers), and one for the whole gateway, which no
 * number of principals can exceed.
 */
export class RequestLimits {
  private readonly perPrincipal: RateLimiter;
  private readonly global: RateLimiter;

  constructor(perPrincipalPerMinute: number, globalPerMinute: number) {
    this.perPrincipal = new RateLimiter(
      perPrincipalPerMinute,
      'principal',
      (n, s) => `Too many requests: ${n} a minute are allowed for one caller (all keys and tokens of one organisation together). Retry in ${s} s.`,
    );
    this.global = new RateLimiter(
      globalPerMinute,
      'global',
      (n, s) => `The hub is answering its most requests (${n} a minute, all callers together). Retry in ${s} s.`,
    );
  }

  take(principal: string, now = Date.now()): void {
    this.perPrincipal.take(principal, now);
    this.global.take('*', now);
  }
}
