import { createHash } from 'node:crypto';

/** Where the browser finds the graphql-ws client: the import map names it so that the dashboard's modules import it by package name. */
export const GRAPHQL_WS_URL = '/dashboard/vendor/graphql-ws/client.js';

const IMPORT_MAP = JSON.stringify({ imports: { 'graphql-ws': GRAPHQL_WS_URL } });

/**
 * The dashboard's HTML shell: one stylesheet, the import map and the entry module, nothing
 * inline but the import map (whose hash the Content-Security-Policy allows).
 */
export const DASHBOARD_PAGE = `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Thi hành án dân sự – Bảng điều khiển</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/dashboard/dashboard.css">
<script type="importmap">${IMPORT_MAP}</script>
<script type="module" src="/dashboard/js/main.js"></script>
</head>
<body>
<noscript>Bảng điều khiển cần JavaScript. / The dashboard needs JavaScript.</noscript>
<div id="app"></div>
</body>
</html>
`;

/**
 * Headers of every dashboard answer: scripts and styles only from the gateway itself (no CDN),
 * the one inline script being the import map, connections only back to this origin (HTTP and
 * WebSocket), and no framing.
 */
export const DASHBOARD_HEADERS: Record<string, string> = {
  'content-security-policy': [
    "default-src 'self'",
    `script-src 'self' 'sha256-${createHash('sha256').update(IMPORT_MAP).digest('base64')}'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};
