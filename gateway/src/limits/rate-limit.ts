import { GraphQLError } from 'graphql';
import { ErrorCode } from '@thads/kit';

/** A token bucket per identity: `perMinute` requests a minute, refilled continuously. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly perMinute: number) {}

  take(subject: string, now = Date.now()): void {
    if (this.perMinute <= 0) return;
    const bucket = this.buckets.get(subject) ?? { tokens: this.perMinute, at: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + ((now - bucket.at) * this.perMinute) / 60000);
    bucket.at = now;
    if (bucket.tokens < 1) {
      const retryAfter = Math.ceil(((1 - bucket.tokens) * 60) / this.perMinute);
      this.buckets.set(subject, bucket);
      throw new GraphQLError(`Too many requests: ${this.perMinute} a minute are allowed for one caller. Retry in ${retryAfter} s.`, {
        extensions: { code: ErrorCode.RATE_LIMITED, retryAfter, http: { status: 429, headers: new Map([['retry-after', String(retryAfter)]]) } },
      });
    }
    bucket.tokens -= 1;
    this.buckets.set(subject, bucket);
    if (this.buckets.size > 100000) this.buckets.clear();
  }
}
