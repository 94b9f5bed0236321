import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync, sign } from 'node:crypto';
import { JwtVerifier, TokenError } from './jwt';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'ES256' };

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
function es256(claims: Record<string, unknown>, kid = 'k1'): string {
  const signed = `${b64({ alg: 'ES256', kid, typ: 'JWT' })}.${b64(claims)}`;
  return `${signed}.${sign('sha256', Buffer.from(signed), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}
const claims = () => ({ sub: 'analyst', role: 'ministry', exp: Math.floor(Date.now() / 1000) + 600 });

describe('JWT verifier with a JWKS over HTTP', () => {
  let server: Server;
  let url: string;
  let fetches = 0;
  let status = 200;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      fetches++;
      res.writeHead(status, { 'content-type': 'application/json' }).end(status === 200 ? JSON.stringify({ keys: [jwk] }) : '{"error":"down"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => {
    fetches = 0;
    status = 200;
  });

  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => 'accepted',
      (err: Error) => (err instanceof TokenError ? err.reason : `not a refusal: ${err.message}`),
    );

  it('fetches the key set once for tokens naming unknown keys, however many come', async () => {
    const verifier = new JwtVerifier({ jwks: url, clockSkew: 60 });
    expect(await verifier.verify(es256(claims()))).toMatchObject({ sub: 'analyst' });
    expect(fetches).toBe(1);
    const forged = Array.from({ length: 20 }, (_v, i) => es256(claims(), `unknown-${i}`));
    expect(await Promise.all(forged.map((t) => refusal(verifier.verify(t))))).toEqual(forged.map(() => 'signature'));
    expect(fetches).toBe(1); // the key set was read just now: an unknown key is not a reason to read it again
  });

  it('keeps the keys it holds while the identity provider answers errors', async () => {
    const verifier = new JwtVerifier({ jwks: url, clockSkew: 60 });
    expect(await refusal(verifier.verify(es256(claims())))).toBe('accepted');
    status = 503;
    // Ten minutes later the key set is due again, and its server is down.
    const later = Date.now() + 11 * 60 * 1000;
    const realNow = Date.now;
    Date.now = () => later;
    try {
      expect(await refusal(verifier.verify(es256({ ...claims(), exp: Math.floor(later / 1000) + 600 }), later))).toBe('accepted');
    } finally {
      Date.now = realNow;
    }
    await new Promise((resolve) => setTimeout(resolve, 200)); // the key set is read again in the background, the held keys serving meanwhile
    expect(fetches).toBe(2);
  });

  it('tries an unreadable key set once every 30 s, not once a token', async () => {
    status = 503;
    const verifier = new JwtVerifier({ jwks: url, clockSkew: 60 });
    for (let i = 0; i < 5; i++) expect(await refusal(verifier.verify(es256(claims())))).toMatch(/^not a refusal: the JWKS .* could not be read/);
    expect(fetches).toBe(1);
  });

  it('refuses a token whose header or payload is JSON but not an object as malformed', async () => {
    const verifier = new JwtVerifier({ secret: 'x'.repeat(32), clockSkew: 60 });
    for (const token of [`${b64(null)}.${b64(claims())}.sig`, `${b64({ alg: 'HS256' })}.${b64([1])}.sig`, `${b64('text')}.${b64(claims())}.sig`])
      expect(await refusal(verifier.verify(token))).toBe('malformed');
  });
});
