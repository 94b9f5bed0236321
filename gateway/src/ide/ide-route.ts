import type { IncomingMessage, ServerResponse } from 'node:http';
import { ideAsset } from './ide-assets';
import { idePage } from './ide-page';

const OFF_MESSAGE = 'The GraphQL IDE is off because introspection is off: set INTROSPECTION=true on the gateway to serve it at /graphiql.\n';

function send(res: ServerResponse, status: number, contentType: string, body: string | Buffer, head: boolean): void {
  // nosniff: a browser takes each file for what its content type says, nothing else.
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'x-content-type-options': 'nosniff' });
  res.end(head ? undefined : body);
}

/**
 * Serves GraphiQL at /graphiql and its files at /graphiql/<name> (a fixed list). The IDE
 * needs introspection, so it is off, with a 404 saying why, wherever introspection is off.
 * Returns false for any other path.
 */
export function ideRoute(enabled: boolean): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path !== '/graphiql' && !path.startsWith('/graphiql/')) return false;
    const head = req.method === 'HEAD';
    if (!enabled) {
      send(res, 404, 'text/plain; charset=utf-8', OFF_MESSAGE, head);
      return true;
    }
    if (req.method !== 'GET' && !head) {
      res.setHeader('allow', 'GET, HEAD');
      send(res, 405, 'text/plain; charset=utf-8', 'The IDE answers GET only.\n', false);
      return true;
    }
    if (path === '/graphiql') {
      send(res, 200, 'text/html; charset=utf-8', idePage(), head);
      return true;
    }
    const asset = ideAsset(path.slice('/graphiql/'.length));
    if (asset) send(res, 200, asset.contentType, asset.body, head);
    else send(res, 404, 'text/plain; charset=utf-8', 'No such file: the IDE is at /graphiql.\n', head);
    return true;
  };
}
