import { AuthFailureLimiter } from './auth-failures';
import { ClientAddresses, trustedProxiesProblem } from './client-address';
import { RequestLimits } from './rate-limit';
import { SubscriptionCaps } from './subscription-caps';

const refusal = (f: () => void) => {
  try {
    f();
    return undefined;
  } catch (err) {
    return (err as { extensions: Record<string, unknown> }).extensions;
  }
};

describe('request budgets', () => {
  it('share one budget per principal and cap all principals together', () => {
    const limits = new RequestLimits(3, 5);
    const at = 1_000_000;
    for (let i = 0; i < 3; i++) limits.take('org:A', at);
    expect(refusal(() => limits.take('org:A', at))).toMatchObject({ code: 'RATE_LIMITED', limit: 'principal', retryAfter: 20 });
    limits.take('org:B', at);
    limits.take('org:C', at);
    expect(refusal(() => limits.take('org:D', at))).toMatchObject({ code: 'RATE_LIMITED', limit: 'global' });
    // Refilled with time.
    expect(refusal(() => limits.take('org:D', at + 60000))).toBeUndefined();
  });
});

describe('failed authentications per address', () => {
  it('holds an address back after N failures, each further attempt doubling the wait, and lets a credential seen working through', () => {
    const limiter = new AuthFailureLimiter({ failures: 3, windowMs: 60000 });
    const at = 5_000_000;
    limiter.succeeded('good', at);
    for (let i = 0; i < 3; i++) {
      expect(refusal(() => limiter.check('10.0.0.1', `bad${i}`, at))).toBeUndefined();
      limiter.failed('10.0.0.1', at);
    }
    expect(refusal(() => limiter.check('10.0.0.1', 'bad3', at))).toBeUndefined();
    limiter.failed('10.0.0.1', at); // the fourth: held back from now on
    const waits = Array.from({ length: 12 }, (_v, i) => refusal(() => limiter.check('10.0.0.1', `bad${4 + i}`, at))?.retryAfter as number);
    expect(waits.slice(0, 4)).toEqual([2, 4, 8, 16]);
    expect(waits.at(-1)).toBe(900);
    expect(refusal(() => limiter.check('10.0.0.1', 'good', at))).toBeUndefined();
    expect(refusal(() => limiter.check('10.0.0.2', 'bad', at))).toBeUndefined();
    // Once the hold and a quiet window have passed, the address starts afresh.
    expect(refusal(() => limiter.check('10.0.0.1', 'bad', at + 901000))).toBeUndefined();
    limiter.failed('10.0.0.1', at + 962000);
    expect(refusal(() => limiter.check('10.0.0.1', 'bad', at + 962000))).toBeUndefined();
  });

  it('limits nothing with 0 failures allowed', () => {
    const limiter = new AuthFailureLimiter({ failures: 0, windowMs: 60000 });
    for (let i = 0; i < 100; i++) limiter.failed('a');
    expect(refusal(() => limiter.check('a', 'bad'))).toBeUndefined();
  });
});

describe('client addresses', () => {
  it('takes the peer, an IPv4-mapped peer as IPv4, an IPv6 peer by its /64', () => {
    const addresses = new ClientAddresses(undefined);
    expect(addresses.of('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(addresses.of('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(addresses.of('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addresses.of('192.0.2.7', '198.51.100.1')).toBe('192.0.2.7'); // no trusted proxy: the header is ignored
  });

  it('believes X-Forwarded-For from trusted proxies only, nearest untrusted hop first', () => {
    const addresses = new ClientAddresses('172.16.0.0/12, 10.0.0.5');
    expect(addresses.of('172.18.0.3', '198.51.100.1, 203.0.113.9, 10.0.0.5')).toBe('203.0.113.9');
    expect(addresses.of('192.0.2.7', '198.51.100.1')).toBe('192.0.2.7');
    expect(addresses.of('172.18.0.3', 'not-an-address')).toBe('172.18.0.3');
    expect(trustedProxiesProblem('10.0.0.0/8,::1')).toBeUndefined();
    expect(trustedProxiesProblem('10.0.0.0/40')).toMatch(/not an IP address/);
    expect(trustedProxiesProblem('proxy.local')).toMatch(/not an IP address/);
  });
});

describe('live subscription caps', () => {
  it('caps a connection and a principal, and gives slots back', () => {
    const caps = new SubscriptionCaps(2, 3);
    const one = new Set<string>();
    const two = new Set<string>();
    expect(caps.take(one, 'org:A', '1')).toBeUndefined();
    expect(caps.take(one, 'org:A', '2')).toBeUndefined();
    expect(caps.take(one, 'org:A', '3')?.extensions).toMatchObject({ code: 'SUBSCRIPTION_LIMIT', limit: 'connection', max: 2 });
    expect(caps.take(two, 'org:A', '1')).toBeUndefined();
    expect(caps.take(two, 'org:A', '2')?.extensions).toMatchObject({ code: 'SUBSCRIPTION_LIMIT', limit: 'principal', max: 3 });
    expect(caps.take(new Set(), 'org:B', '1')).toBeUndefined();
    caps.release(one, 'org:A', '1');
    caps.release(one, 'org:A', '1'); // twice: once counted
    expect(caps.take(two, 'org:A', '3')).toBeUndefined();
    expect(caps.take(two, 'org:A', '4')?.extensions).toMatchObject({ limit: 'connection' });
    caps.releaseAll(one, 'org:A');
    expect(one.size).toBe(0);
    expect(caps.take(new Set(), 'org:A', 'x')).toBeUndefined();
  });
});
