import { createHash } from 'node:crypto';

const names = new Map<string, string>();

/**
 * The name a statement is prepared under on every connection: derived from its text, so
 * the same text is parsed once a connection, whoever sends it. Only statements whose text
 * is fixed (values always go as parameters) may be named: each name stays prepared on its
 * connection for the connection's life.
 */
export function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `thads_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    names.set(text, name);
  }
  return name;
}
