import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import type { RunningService } from '@thads/kit';
import { bearer } from '../support/auth';
import { migrateAll, startExtraGateway, startInProcessHub, type InProcessHub } from '../support/in-process-hub';
import { seedTestUnits } from '../support/seeded-db';
import { createTestDatabase, dropTestDatabase } from '../support/test-db';

const MINISTRY = bearer('ministry');

/** A POST to the gateway with the Accept a client chose (none at all when undefined). */
async function post(url: string, body: unknown, accept?: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(accept ? { accept } : {}), ...MINISTRY },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const json = (await res.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
  return { status: res.status, type: res.headers.get('content-type'), code: json.errors?.[0]?.extensions?.code, data: json.data };
}

/** A page server on an origin of its own: the page the browser opens, which calls the gateway. */
async function pageServer(): Promise<{ server: Server; origin: string }> {
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>client</title>'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/**
 * HTTP as the GraphQL over HTTP specification and browsers expect it: the status of a failed
 * operation follows the media type the client accepts, and browser pages on the origins of
 * CORS_ORIGINS (and only those) may call the API, tried with headless Chromium.
 */
describe('HTTP conventions of the gateway', () => {
  let db: string;
  let hub: InProcessHub;
  let cors: RunningService;
  let allowed: { server: Server; origin: string };
  let other: { server: Server; origin: string };
  let browser: Browser;

  beforeAll(async () => {
    db = await createTestDatabase('http_conventions');
    await migrateAll(db);
    await seedTestUnits(db);
    hub = await startInProcessHub(db);
    allowed = await pageServer();
    other = await pageServer();
    cors = await startExtraGateway(hub, db, { CORS_ORIGINS: allowed.origin });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  }, 120000);

  afterAll(async () => {
    await browser?.close();
    allowed?.server.close();
    other?.server.close();
    await cors?.stop();
    await hub?.stop();
    if (db) await dropTestDatabase(db);
  });

  it('answers a failed operation 200 for application/json and 400 for application/graphql-response+json', async () => {
    const failures: [string, unknown, string][] = [
      ['parse', { query: '{ ministry { ' }, 'GRAPHQL_PARSE_FAILED'],
      ['validation', { query: '{ ministry { noSuchField } }' }, 'GRAPHQL_VALIDATION_FAILED'],
      ['variables', { query: 'query($id: ID!) { unit(id: $id) { id } }', variables: {} }, 'BAD_USER_INPUT'],
      ['limit', { query: `{ ministry { ${'children { '.repeat(14)}id${' }'.repeat(14)} } }` }, 'OPERATION_LIMIT'],
      ['control character', { query: '{ unitByCode(code: "a\\u0000") { id } }' }, 'BAD_USER_INPUT'],
    ];
    for (const [what, body, code] of failures) {
      for (const accept of [undefined, 'application/json']) {
        const legacy = await post(hub.url, body, accept);
        expect({ what, accept, status: legacy.status, code: legacy.code, type: legacy.type }).toEqual({
          what,
          accept,
          status: 200,
          code,
          type: expect.stringMatching(/^application\/json/),
        });
      }
      const modern = await post(hub.url, body, 'application/graphql-response+json');
      expect({ what, status: modern.status, code: modern.code, type: modern.type }).toEqual({
        what,
        status: 400,
        code,
        type: expect.stringMatching(/^application\/graphql-response\+json/),
      });
    }
    // Not a GraphQL request at all, or a caller refused: HTTP's own codes whatever the Accept.
    expect((await post(hub.url, '{not json', 'application/json')).status).toBe(400);
    const anonymous = await fetch(hub.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer nope' },
      body: '{"query":"{ ministry { id } }"}',
    });
    expect(anonymous.status).toBe(401);
    expect((await post(hub.url, { query: '{ ministry { id } }' }, 'application/json')).data).toEqual({ ministry: { id: '1' } });
  });

  it('answers preflights of listed origins, refuses the others, and leaves same-origin requests alone', async () => {
    const preflight = (origin: string) =>
      fetch(cors.url, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
      });
    const ok = await preflight(allowed.origin);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(allowed.origin);
    expect(ok.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    expect(ok.headers.get('vary')).toMatch(/Origin/);
    const refused = await preflight(other.origin);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { errors: { message: string }[] }).errors[0]!.message).toMatch(/CORS_ORIGINS/);
    // The hub without CORS_ORIGINS lets no other origin in.
    expect(
      (
        await preflight(allowed.origin).then(() =>
          fetch(hub.url, { method: 'OPTIONS', headers: { origin: allowed.origin, 'access-control-request-method': 'POST' } }),
        )
      ).status,
    ).toBe(403);
    const plain = await fetch(cors.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...MINISTRY },
      body: '{"query":"{ ministry { id } }"}',
    });
    expect([plain.status, plain.headers.get('access-control-allow-origin')]).toEqual([200, null]);
  });

  it('lets a browser page on a listed origin call the API, and not a page on another', async () => {
    const call = async (origin: string) => {
      const page = await browser.newPage();
      try {
        await page.goto(origin);
        return await page.evaluate(
          async ({ url, authorization }) => {
            try {
              const res = await fetch(url, {
                method: 'POST',
                headers: { 'content-type': 'application/json', authorization },
                body: JSON.stringify({ query: '{ ministry { name } }' }),
              });
              return { status: res.status, body: (await res.json()) as unknown, requestId: res.headers.get('x-request-id') };
            } catch (err) {
              return { error: String(err) };
            }
          },
          { url: cors.url, authorization: MINISTRY.authorization! },
        );
      } finally {
        await page.close();
      }
    };
    const fromAllowed = await call(allowed.origin);
    expect(fromAllowed).toMatchObject({ status: 200, body: { data: { ministry: { name: expect.stringMatching(/Bộ Tư pháp/) } } } });
    expect((fromAllowed as { requestId: string | null }).requestId).toBeTruthy();
    const fromOther = await call(other.origin);
    expect(fromOther).toEqual({ error: expect.stringMatching(/Failed to fetch/) });
  }, 60000);
});
