import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode } from '@thads/kit';

/** Headers a browser may send cross-origin: credentials travel in Authorization or x-api-key, never in cookies. */
const ALLOWED_HEADERS = 'authorization, content-type, accept, x-api-key, x-request-id';
/** Headers a cross-origin page may read: the request id for support, the limits' retry time, an export's file name. */
const EXPOSED_HEADERS = 'x-request-id, retry-after, content-disposition';

/** The origins of CORS_ORIGINS (comma-separated, exact `scheme://host[:port]`, or `*` for any); malformed entries are a config error. */
export function parseOrigins(raw: string | undefined): string[] {
  const origins = (raw ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const origin of origins) {
    if (origin === '*') continue;
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      throw new Error(`"${origin}" is not an origin; write scheme://host[:port], e.g. https://bao-cao.thads.gov.vn`);
    }
    if (parsed.origin !== origin) throw new Error(`"${origin}" is not an origin (no path or trailing slash); write ${parsed.origin}`);
  }
  return origins;
}

/**
 * Cross-origin access for browser clients on the origins of the allow-list: their requests
 * get `Access-Control-Allow-Origin` (their own origin, with `Vary: Origin`), their preflights
 * a 204 with the methods and headers the API takes. A preflight from any other origin gets a
 * 403 naming the setting; same-origin pages (the dashboard) need none of this. Returns true
 * when it answered the request itself (a preflight).
 */
export function corsPolicy(origins: readonly string[]): (req: IncomingMessage, res: ServerResponse) => boolean {
  const any = origins.includes('*');
  const allowed = new Set(origins);
  return (req, res) => {
    const origin = req.headers.origin;
    const preflight = req.method === 'OPTIONS';
    if (!origin) {
      if (!preflight) return false;
      res.writeHead(204, { allow: 'GET, POST, OPTIONS' }).end();
      return true;
    }
    res.setHeader('vary', 'Origin');
    const ok = any || allowed.has(origin);
    if (ok) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
    }
    if (!preflight) return false;
    if (!ok) {
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          errors: [
            {
              message: `Pages on ${origin} may not call this hub. Its operator lists the origins that may in CORS_ORIGINS.`,
              extensions: { code: ErrorCode.FORBIDDEN, reason: 'CORS_ORIGIN' },
            },
          ],
        }),
      );
      return true;
    }
    res.writeHead(204, {
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      'access-control-allow-headers': ALLOWED_HEADERS,
      'access-control-max-age': '600',
    });
    res.end();
    return true;
  };
}
