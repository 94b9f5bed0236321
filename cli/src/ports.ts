import { createServer } from 'node:net';

/** Whether a port can be listened on now: undefined when it can, else why not (EADDRINUSE, EACCES). */
export function canListen(host: string, port: number): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err));
    server.listen(port, host, () => server.close(() => resolve(undefined)));
  });
}

/**
 * Refuses to start when a port the hub needs is taken, before the database starts or the demo
 * is seeded: said once, with what to do, instead of a service's crash in the middle of the logs.
 */
export async function assertPortsFree(wanted: { name: string; host: string; port: number }[], hint: string): Promise<void> {
  const errors = await Promise.all(wanted.map((w) => canListen(w.host, w.port)));
  const taken = wanted.flatMap((w, i) => {
    const err = errors[i];
    if (!err) return [];
    return [`${w.host}:${w.port} (${w.name}${err.code === 'EADDRINUSE' ? '' : `: ${err.code ?? err.message}`})`];
  });
  if (taken.length === 0) return;
  throw new Error(`${taken.length === 1 ? 'a port the hub needs is' : 'ports the hub needs are'} not free: ${taken.join(', ')}. ${hint}`);
}
