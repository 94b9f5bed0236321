import type { IncomingMessage, ServerResponse } from 'node:http';
import { DASHBOARD_HEADERS } from './dashboard-page';
import type { DashboardFile } from './dashboard-files';

function plain(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', ...headers });
  res.end(text);
}

/**
 * The gateway's non-GraphQL routes for people: `/` redirects to `/dashboard`, and
 * `/dashboard/…` answers from the fixed file set (404 with a message for anything else,
 * 405 for anything but GET and HEAD). Returns false for every other path.
 */
export function dashboardRoute(files: Map<string, DashboardFile> | undefined): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/') {
      res.writeHead(302, { location: '/dashboard', 'content-type': 'text/plain; charset=utf-8' });
      res.end('The dashboard is at /dashboard; GraphQL at /graphql.');
      return true;
    }
    if (path !== '/dashboard' && !path.startsWith('/dashboard/')) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      plain(res, 405, 'The dashboard answers GET and HEAD only.', { allow: 'GET, HEAD' });
      return true;
    }
    if (!files) {
      plain(res, 404, 'The dashboard is not built: run `npm run build`, then start the gateway again.');
      return true;
    }
    // An exact key or nothing: the path is never decoded, joined or resolved.
    const file = files.get(path);
    if (!file) {
      plain(res, 404, 'No such dashboard file. The dashboard is at /dashboard.');
      return true;
    }
    res.writeHead(200, { 'content-type': file.type, 'content-length': String(file.body.length), ...DASHBOARD_HEADERS });
    res.end(req.method === 'HEAD' ? undefined : file.body);
    return true;
  };
}
