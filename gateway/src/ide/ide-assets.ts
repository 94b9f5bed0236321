import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { IDE_CLIENT_JS } from './ide-client';

/** One file the IDE page loads, served from the gateway's own dependencies: no CDN at run time. */
interface AssetSource {
  contentType: string;
  /** The npm package holding the file and its path inside it; or the file's text itself. */
  from: { pkg: string; file: string } | { text: string };
}

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/**
 * The only files served under /graphiql/, by name: a request names a key of this table or
 * gets a 404, so no path from a URL ever reaches the file system.
 */
const ASSETS: Record<string, AssetSource> = {
  'react.production.min.js': { contentType: JS, from: { pkg: 'react', file: 'umd/react.production.min.js' } },
  'react-dom.production.min.js': { contentType: JS, from: { pkg: 'react-dom', file: 'umd/react-dom.production.min.js' } },
  'graphql-ws.min.js': { contentType: JS, from: { pkg: 'graphql-ws', file: 'umd/graphql-ws.min.js' } },
  'graphiql.min.js': { contentType: JS, from: { pkg: 'graphiql', file: 'graphiql.min.js' } },
  'graphiql.min.css': { contentType: CSS, from: { pkg: 'graphiql', file: 'graphiql.min.css' } },
  'ide.js': { contentType: JS, from: { text: IDE_CLIENT_JS } },
};

/** The asset names in the order the page loads them (React before what uses it). */
export const SCRIPT_ASSETS = ['react.production.min.js', 'react-dom.production.min.js', 'graphql-ws.min.js', 'graphiql.min.js', 'ide.js'] as const;
export const STYLE_ASSETS = ['graphiql.min.css'] as const;

export interface Asset {
  contentType: string;
  body: Buffer;
}

// Read once, on first request: ~1.5 MB that most gateways never serve.
const loaded = new Map<string, Asset>();

/** The asset of that name, or undefined when it is not one of the fixed list. */
export function ideAsset(name: string): Asset | undefined {
  if (!Object.hasOwn(ASSETS, name)) return undefined;
  let asset = loaded.get(name);
  if (!asset) {
    const { contentType, from } = ASSETS[name]!;
    // Each package's own package.json locates it, wherever npm hoisted it.
    const body = 'text' in from ? Buffer.from(from.text) : readFileSync(join(dirname(require.resolve(`${from.pkg}/package.json`)), from.file));
    asset = { contentType, body };
    loaded.set(name, asset);
  }
  return asset;
}
