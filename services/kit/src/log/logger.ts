import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON logs, one object a line, with the service's name on each (`hub start` prints them readably). */
export function createLogger(service: string, level = 'info'): Logger {
  return pino({ level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime });
}
