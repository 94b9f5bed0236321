import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PROJECT_ROOT } from '../config';
import { DASHBOARD_PAGE, GRAPHQL_WS_URL } from './dashboard-page';

/** One file the gateway serves under /dashboard, read once at start. */
export interface DashboardFile {
  type: string;
  body: Buffer;
}

const JS = 'text/javascript; charset=utf-8';
/** Names a built module or vendor file may have: no folders, no dots but the extension's. */
const FLAT_JS = /^[A-Za-z0-9_-]+\.js$/;

/** The graphql-ws browser client and the modules it imports relatively (their names carry a build hash, so they are read from its import lines). */
function graphqlWsFiles(files: Map<string, DashboardFile>): void {
  const dist = dirname(require.resolve('graphql-ws/client'));
  const client = readFileSync(join(dist, 'client.js'));
  files.set(GRAPHQL_WS_URL, { type: JS, body: client });
  for (const [, name] of client.toString('utf8').matchAll(/from\s+'\.\/([^']+)'/g)) {
    if (FLAT_JS.test(name)) files.set(`/dashboard/vendor/graphql-ws/${name}`, { type: JS, body: readFileSync(join(dist, name)) });
  }
}

/**
 * The fixed set of files behind /dashboard, by URL path: the page, the stylesheet, the modules
 * `tsc -b` compiled into dashboard/dist and the graphql-ws client from node_modules. A request
 * is answered only by an exact key of this map, so no path reaches the file system.
 * Undefined when the dashboard has not been built.
 */
export function loadDashboardFiles(root = join(PROJECT_ROOT, 'dashboard')): Map<string, DashboardFile> | undefined {
  const dist = join(root, 'dist');
  if (!existsSync(join(dist, 'main.js'))) return undefined;
  const files = new Map<string, DashboardFile>();
  const page: DashboardFile = { type: 'text/html; charset=utf-8', body: Buffer.from(DASHBOARD_PAGE) };
  files.set('/dashboard', page);
  files.set('/dashboard/', page);
  files.set('/dashboard/dashboard.css', { type: 'text/css; charset=utf-8', body: readFileSync(join(root, 'static', 'dashboard.css')) });
  for (const name of readdirSync(dist)) {
    if (FLAT_JS.test(name)) files.set(`/dashboard/js/${name}`, { type: JS, body: readFileSync(join(dist, name)) });
  }
  graphqlWsFiles(files);
  return files;
}
