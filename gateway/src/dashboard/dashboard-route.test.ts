import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadDashboardFiles } from './dashboard-files';
import { dashboardRoute } from './dashboard-route';

/** The route on a bare HTTP server: what it does not handle answers 418, so a fall-through shows. */
async function serve(files: ReturnType<typeof loadDashboardFiles>): Promise<{ server: Server; base: string }> {
  const route = dashboardRoute(files);
  const server = createServer((req, res) => {
    if (!route(req, res)) res.writeHead(418).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('the dashboard route', () => {
  it('serves only its fixed files, says so for anything else, and leaves other paths alone', async () => {
    const files = new Map([
      ['/dashboard', { type: 'text/html; charset=utf-8', body: Buffer.from('<!doctype html>') }],
      ['/dashboard/js/main.js', { type: 'text/javascript; charset=utf-8', body: Buffer.from('export {};') }],
    ]);
    const { server, base } = await serve(files);
    try {
      expect((await fetch(`${base}/`, { redirect: 'manual' })).headers.get('location')).toBe('/dashboard');
      const page = await fetch(`${base}/dashboard?lang=en`);
      expect(page.status).toBe(200);
      expect(page.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await page.text()).toBe('<!doctype html>');
      expect((await fetch(`${base}/dashboard/js/main.js`)).headers.get('content-type')).toMatch(/^text\/javascript/);
      // A dot-dot path as sent (fetch would normalize it away first).
      const raw = await new Promise<number | undefined>((resolve) =>
        get({ host: '127.0.0.1', port: new URL(base).port, path: '/dashboard/js/../../package.json' }, (res) => (res.resume(), resolve(res.statusCode))),
      );
      expect(raw).toBe(404);
      for (const path of ['/dashboard/js/%2e%2e/main.js', '/dashboard/js/%2e%2e%2f%2e%2e%2fpackage.json', '/dashboard/js/main.js/', '/dashboard/etc/passwd']) {
        const res = await fetch(base + path);
        expect([path, res.status]).toEqual([path, 404]);
        expect(await res.text()).toContain('No such dashboard file');
      }
      expect((await fetch(`${base}/dashboard`, { method: 'DELETE' })).status).toBe(405);
      expect((await fetch(`${base}/graphql`)).status).toBe(418);
      expect((await fetch(`${base}/dashboards`)).status).toBe(418);
    } finally {
      server.close();
    }
  });

  it('says how to build the dashboard when it is not built', async () => {
    expect(loadDashboardFiles('/nonexistent')).toBeUndefined();
    const { server, base } = await serve(undefined);
    try {
      const res = await fetch(`${base}/dashboard`);
      expect(res.status).toBe(404);
      expect(await res.text()).toContain('npm run build');
    } finally {
      server.close();
    }
  });
});
