import { BlockList, isIP } from 'node:net';

/** `::ffff:10.0.0.1` (an IPv4 client on a dual-stack socket) is 10.0.0.1; a zone (`%eth0`) is dropped. */
function normalize(address: string): string {
  const bare = address.trim().replace(/%.*$/, '');
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(bare) ? bare.slice(7) : bare;
}

/**
 * An IPv6 client is counted by its /64: one subscriber line gets at least that many
 * addresses, and could otherwise take a fresh budget for every request.
 */
function bucketOf(address: string): string {
  if (isIP(address) !== 6 || address.includes('.')) return address;
  const [head = '', tail] = address.split('::');
  const front = head ? head.split(':') : [];
  const back = tail ? tail.split(':') : [];
  const groups = tail === undefined ? front : [...front, ...Array<string>(8 - front.length - back.length).fill('0'), ...back];
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

/** Checks a TRUSTED_PROXIES value: addresses and CIDR ranges, comma-separated. Returns the problem, if any. */
export function trustedProxiesProblem(value: string): string | undefined {
  for (const entry of value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [address = '', bits] = entry.split('/');
    const version = isIP(address);
    const max = version === 6 ? 128 : 32;
    if (!version || (bits !== undefined && !(Number.isInteger(Number(bits)) && Number(bits) >= 0 && Number(bits) <= max)))
      return `"${entry}" is not an IP address or a CIDR range (e.g. 10.0.0.5 or 172.16.0.0/12)`;
  }
  return undefined;
}

/**
 * The address a request's limits go by (failed authentications, anonymous callers): the
 * peer's address, or, when the peer is a trusted proxy, the nearest address in
 * X-Forwarded-For that is not one. Without trusted proxies the header is ignored: anyone
 * could write any address into it.
 */
export class ClientAddresses {
  private readonly trusted = new BlockList();
  private readonly any: boolean;

  constructor(trustedProxies: string | undefined) {
    const entries = (trustedProxies ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    for (const entry of entries) {
      const [address = '', bits] = entry.split('/');
      const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (bits === undefined) this.trusted.addAddress(address, type);
      else this.trusted.addSubnet(address, Number(bits), type);
    }
    this.any = entries.length > 0;
  }

  private isTrusted(address: string): boolean {
    const version = isIP(address);
    return this.any && version !== 0 && this.trusted.check(address, version === 6 ? 'ipv6' : 'ipv4');
  }

  of(peer: string | undefined, forwardedFor?: string | string[]): string {
    let address = normalize(peer ?? 'unknown');
    if (forwardedFor && this.isTrusted(address)) {
      const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',');
      for (let i = hops.length - 1; i >= 0; i--) {
        const hop = normalize(hops[i]!);
        if (!isIP(hop)) break;
        address = hop;
        if (!this.isTrusted(hop)) break;
      }
    }
    return bucketOf(address);
  }
}
