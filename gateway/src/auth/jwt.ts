import { createHmac, createPublicKey, timingSafeEqual, verify as verifySignature, type JsonWebKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';

/** Why a token was refused, in `extensions.reason` (stable, for clients and tests). */
export type TokenRefusal = 'malformed' | 'signature' | 'algorithm' | 'expired' | 'not-yet-valid' | 'issuer' | 'audience' | 'lifetime' | 'revoked' | 'claims';

export class TokenError extends Error {
  constructor(
    message: string,
    readonly reason: TokenRefusal = 'claims',
  ) {
    super(message);
  }
}

export interface JwtOptions {
  /** HS256 secret (the embedded default). */
  secret?: string;
  /** JWKS for RS256/ES256: a file path or an http(s) URL. */
  jwks?: string;
  issuer?: string;
  audience?: string;
  /** Seconds of clock difference tolerated on exp and nbf. @default 60 */
  clockSkew: number;
  /**
   * Longest lifetime accepted, in seconds: exp - iat, and exp - now (an iat in the past is no
   * way around it). Undefined accepts any.
   */
  maxTtl?: number;
}

interface Jwk extends JsonWebKey {
  kid?: string;
  alg?: string;
}

const b64json = (part: string): Record<string, unknown> => {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw new TokenError('the token is not a JWT (header or payload is not base64url JSON)', 'malformed');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new TokenError('the token is not a JWT (header or payload is not a JSON object)', 'malformed');
  return value as Record<string, unknown>;
};

/** A JWKS is read again after this long, and not sooner for a token naming an unknown key: one such token is not a fetch of the key set. */
const JWKS_MAX_AGE_MS = 10 * 60 * 1000;
const JWKS_UNKNOWN_KID_GAP_MS = 30 * 1000;

/**
 * Verifies a compact JWS: HS256 against the configured secret, RS256 or ES256 against the
 * JWKS key named by `kid`. The algorithm must match the key type ("none" and any mismatch
 * are refused), then exp, nbf (with the clock skew), iss and aud are checked.
 */
export class JwtVerifier {
  private keys?: { at: number; byKid: Map<string, { key: KeyObject; alg: string }> };
  /** The fetch under way, shared by every token that waits for it. */
  private loading?: Promise<void>;
  /** When the key set was last asked for, whether or not it came. */
  private triedAt = -Infinity;

  constructor(private readonly options: JwtOptions) {}

  async verify(token: string, now = Date.now()): Promise<Record<string, unknown>> {
    const parts = token.split('.');
    if (parts.length !== 3) throw new TokenError('the token is not a JWT (three dot-separated parts)', 'malformed');
    const [h, p, s] = parts as [string, string, string];
    const header = b64json(h);
    const payload = b64json(p);
    const signed = Buffer.from(`${h}.${p}`);
    const signature = Buffer.from(s, 'base64url');
    const alg = header.alg;
    if (alg === 'HS256') {
      if (!this.options.secret) throw new TokenError('HS256 tokens are not accepted here', 'algorithm');
      const expected = createHmac('sha256', this.options.secret).update(signed).digest();
      if (expected.length !== signature.length || !timingSafeEqual(expected, signature)) throw new TokenError('the token signature is not valid', 'signature');
    } else if (alg === 'RS256' || alg === 'ES256') {
      const key = await this.key(String(header.kid ?? ''), alg);
      const ok = verifySignature('sha256', signed, alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key, signature);
      if (!ok) throw new TokenError('the token signature is not valid', 'signature');
    } else {
      throw new TokenError(`tokens signed with ${String(alg)} are not accepted (use HS256, RS256 or ES256)`, 'algorithm');
    }
    const seconds = now / 1000;
    const skew = this.options.clockSkew;
    if (typeof payload.exp !== 'number') throw new TokenError('the token has no expiry (exp)', 'expired');
    if (seconds > payload.exp + skew) throw new TokenError('the token has expired', 'expired');
    if (typeof payload.nbf === 'number' && seconds < payload.nbf - skew) throw new TokenError('the token is not valid yet (nbf)', 'not-yet-valid');
    const maxTtl = this.options.maxTtl;
    if (maxTtl !== undefined) {
      const lifetime = typeof payload.iat === 'number' ? payload.exp - payload.iat : payload.exp - seconds;
      if (lifetime > maxTtl || payload.exp - seconds > maxTtl + skew)
        throw new TokenError(`the token lives longer than the ${maxTtl} s accepted here (exp - iat)`, 'lifetime');
    }
    if (this.options.issuer && payload.iss !== this.options.issuer) throw new TokenError('the token was issued by someone else (iss)', 'issuer');
    if (this.options.audience) {
      const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
      if (!aud.includes(this.options.audience)) throw new TokenError('the token is meant for another audience (aud)', 'audience');
    }
    return payload;
  }

  private async key(kid: string, alg: string): Promise<KeyObject> {
    if (!this.options.jwks) throw new TokenError(`${alg} tokens are not accepted here (no JWKS configured)`, 'algorithm');
    const now = Date.now();
    // One try every JWKS_UNKNOWN_KID_GAP_MS at most, whatever asks for it: keys missing, a token
    // naming a key not held (waited for), or a set only old (read in the background, the keys
    // held serving meanwhile; after a failed read, tried again a gap later).
    const mayTry = now - this.triedAt > JWKS_UNKNOWN_KID_GAP_MS || this.loading !== undefined;
    if (!this.keys?.byKid.has(kid)) {
      if (mayTry) await this.refreshKeys();
    } else if (now - this.keys.at > JWKS_MAX_AGE_MS && mayTry) void this.refreshKeys();
    if (!this.keys) throw new Error(`the JWKS (${this.options.jwks}) could not be read: RS256/ES256 tokens cannot be checked until it can`);
    const found = this.keys!.byKid.get(kid) ?? (this.keys!.byKid.size === 1 && !kid ? [...this.keys!.byKid.values()][0] : undefined);
    if (!found) throw new TokenError(`no key "${kid}" in the JWKS`, 'signature');
    if (found.alg !== alg) throw new TokenError(`the key "${kid}" is for ${found.alg}, not ${alg}`, 'algorithm');
    return found.key;
  }

  /** One fetch at a time; a failed one keeps the keys held (an identity provider down for a while refuses no token it had signed). */
  private refreshKeys(): Promise<void> {
    this.loading ??= this.loadKeys()
      .catch(() => {}) // the keys held (if any) stay; loadKeys noted the try
      .finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async loadKeys(): Promise<void> {
    this.triedAt = Date.now();
    const source = this.options.jwks!;
    let text: string;
    if (/^https?:\/\//.test(source)) {
      const res = await fetch(source, { signal: AbortSignal.timeout(5000) });
      if (!res.ok) throw new Error(`the JWKS at ${source} answered HTTP ${res.status}`);
      text = await res.text();
    } else text = await readFile(source, 'utf8');
    const set = JSON.parse(text) as { keys?: Jwk[] };
    const byKid = new Map<string, { key: KeyObject; alg: string }>();
    for (const jwk of set.keys ?? []) {
      const alg = jwk.alg ?? (jwk.kty === 'RSA' ? 'RS256' : jwk.kty === 'EC' && jwk.crv === 'P-256' ? 'ES256' : '');
      if (alg !== 'RS256' && alg !== 'ES256') continue;
      byKid.set(jwk.kid ?? '', { key: createPublicKey({ key: jwk, format: 'jwk' }), alg });
    }
    this.keys = { at: Date.now(), byKid };
  }
}

/** Signs an HS256 token (the embedded default, and `hub keys --action token`). */
export function signHs256(claims: Record<string, unknown>, secret: string): string {
  const h = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const p = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${h}.${p}.${createHmac('sha256', secret).update(`${h}.${p}`).digest('base64url')}`;
}
