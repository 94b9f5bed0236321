import { createClient, type ClientOptions } from 'graphql-ws';
import WebSocket from 'ws';
import { readGatewayConfig, start as startGateway, type RunningGateway } from '@thads/gateway';
import { statisticalYearOf, todayInVietnam } from '@thads/kit';
import { TEST_IDENTITY_SECRET, TEST_JWT_SECRET, bearer, token } from '../support/auth';
import { gqlData } from '../support/graphql-client';
import { freePortRange, startHubProcess, type HubProcess } from '../support/hub-process';
import { createTestDatabase, dropTestDatabase } from '../support/test-db';

type Fetcher = (params: { query: string; operationName?: string }, options?: { headers?: Record<string, string> }) => unknown;

/**
 * Runs the page's own script with the globals the page gives it (GraphiQL, React, graphql-ws),
 * as a browser would at that URL, and returns the fetcher it hands to GraphiQL.
 */
function pageFetcher(script: string, pageUrl: string, defaults: string): Fetcher {
  let fetcher: Fetcher | undefined;
  const document = { getElementById: (id: string) => ({ textContent: id === 'ide-defaults' ? defaults : '' }) };
  const React = { createElement: (_component: unknown, props: { fetcher: Fetcher }) => (fetcher = props.fetcher) };
  const ReactDOM = { createRoot: () => ({ render: () => undefined }) };
  // Node has no WebSocket of its own here: the ws package stands in for the browser's.
  const graphqlWs = { createClient: (options: ClientOptions) => createClient({ ...options, webSocketImpl: WebSocket, retryAttempts: 0 }) };
  new Function('window', 'document', 'React', 'ReactDOM', 'GraphiQL', 'graphqlWs', script)(
    { location: { href: pageUrl } },
    document,
    React,
    ReactDOM,
    {},
    graphqlWs,
  );
  return fetcher!;
}

/** The first value, or the error, of what a fetcher returned for a subscription. */
function firstOf(observable: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    const subscription = (observable as { subscribe(o: object): { unsubscribe(): void } }).subscribe({
      next: (value: unknown) => {
        subscription.unsubscribe();
        resolve(value);
      },
      error: (err: Error) => resolve({ failed: err.message }),
      complete: () => undefined,
    });
  });
}

/** The src and href values of a page's script and link elements. */
function referencedFiles(html: string): string[] {
  return [...html.matchAll(/<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);
}

describe('the GraphQL IDE at /graphiql', () => {
  let db: string;
  let port: number;
  let hub: HubProcess;
  let ideUrl: string;
  const closed: RunningGateway[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('graphiql');
    port = await freePortRange(5);
    hub = await startHubProcess(db, port, ['--cases', '200']);
    ideUrl = hub.url.replace(/\/graphql$/, '/graphiql');
  }, 240000);

  afterAll(async () => {
    for (const gateway of closed) await gateway.stop();
    await hub?.stop();
    if (db) await dropTestDatabase(db);
  });

  it('serves an HTML page whose files are all the gateway’s own, each with its content type', async () => {
    const page = await fetch(ideUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text();
    expect(html).toMatch(/<div id="graphiql">/);
    const files = referencedFiles(html);
    expect(files.length).toBeGreaterThanOrEqual(6);
    // Local only: relative paths under graphiql/, no scheme, no other host.
    for (const file of files) expect(file).toMatch(/^graphiql\/[\w.-]+$/);
    expect(html).not.toMatch(/https?:\/\/|src="\/\/|href="\/\//);
    for (const file of files) {
      const res = await fetch(new URL(file, ideUrl));
      expect([file, res.status]).toEqual([file, 200]);
      expect([file, res.headers.get('content-type')]).toEqual([file, file.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8']);
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(100);
    }
  });

  it('opens with an example query of the current statistical year that the hub answers', async () => {
    const html = await (await fetch(ideUrl)).text();
    const defaults = /<script id="ide-defaults" type="application\/json">([^<]*)<\/script>/.exec(html);
    const { query } = JSON.parse(defaults![1]!) as { query: string };
    expect(query).toContain(`caseRanking(period: { year: ${statisticalYearOf(todayInVietnam())} })`);
    const data = await gqlData<{ caseRanking: { rank: number; unit: { name: string } }[] }>(hub.url, query, undefined, bearer('ministry'));
    expect(data.caseRanking).toHaveLength(34);
    expect(data.caseRanking[0]!.rank).toBe(1);
  });

  it('posts queries to /graphql and runs subscriptions over graphql-ws, with the headers editor’s credentials', async () => {
    const html = await (await fetch(ideUrl)).text();
    const defaults = /<script id="ide-defaults" type="application\/json">([^<]*)<\/script>/.exec(html)![1]!;
    const script = await (await fetch(new URL('graphiql/ide.js', ideUrl))).text();
    const fetcher = pageFetcher(script, ideUrl, defaults);
    const ministry = { Authorization: `Bearer ${token('ministry')}` };
    const wrong = { Authorization: 'Bearer not-a-token' };

    const query = {
      query: '# a comment with subscription in it\nquery Q($code: String!) { unitByCode(code: $code) { name } }',
      operationName: 'Q',
      variables: { code: 'tuyen-quang' },
    };
    expect(await fetcher(query, { headers: ministry })).toEqual({ data: { unitByCode: { name: 'Tuyên Quang' } } });
    const refused = (await fetcher(query, { headers: wrong })) as { errors: { extensions: { code: string } }[] };
    expect(refused.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');

    const live = { query: 'query Other { ministry { id } }\nsubscription Live { liveMinistry { name } }', operationName: 'Live' };
    expect(await firstOf(fetcher(live, { headers: ministry }))).toEqual({ data: { liveMinistry: { name: expect.stringMatching(/Bộ Tư pháp/) } } });
    expect(await firstOf(fetcher(live, { headers: wrong }))).toEqual({ failed: expect.stringMatching(/^44\d\d /) });
  });

  it('serves nothing but its fixed files', async () => {
    for (const path of ['/graphiql/package.json', '/graphiql/..%2Fpackage.json', '/graphiql/../../package.json', '/graphiql/react/umd/react.development.js']) {
      const res = await fetch(new URL(path, ideUrl));
      expect([path, res.status]).toEqual([path, 404]);
    }
    expect((await fetch(ideUrl, { method: 'POST' })).status).toBe(405);
  });

  it('is off, with a 404 saying how to turn it on, where introspection is off: INTROSPECTION=false and secure mode by default', async () => {
    const subgraphs = {
      ORG_UNITS_URL: `http://127.0.0.1:${port + 1}/graphql`,
      CASES_URL: `http://127.0.0.1:${port + 2}/graphql`,
      FINANCES_URL: `http://127.0.0.1:${port + 3}/graphql`,
      COMPLAINTS_URL: `http://127.0.0.1:${port + 4}/graphql`,
    };
    const base = {
      PORT: '0',
      LOG_LEVEL: 'error',
      LIVE_TRANSPORT: 'none',
      IDENTITY_SECRET: TEST_IDENTITY_SECRET,
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
      ...subgraphs,
    };
    const secure = { ...base, SECURE: 'true', AUTH_ISSUER: 'thads-hub', AUTH_AUDIENCE: 'thads-hub-api' };
    for (const env of [{ ...base, INTROSPECTION: 'false' }, secure]) {
      const gateway = await startGateway(readGatewayConfig(env));
      closed.push(gateway);
      for (const path of ['/graphiql', '/graphiql/graphiql.min.js']) {
        const res = await fetch(gateway.url.replace(/\/graphql$/, path));
        expect(res.status).toBe(404);
        const body = await res.text();
        expect(body.trim().split('\n')).toHaveLength(1);
        expect(body).toMatch(/INTROSPECTION=true/);
      }
    }
  });
});
