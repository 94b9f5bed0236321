import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON logs, one object a line, with the service's name on each (`hub start` prints them readably). */
export function createLogger(service: string, level = 'info'): Logger {
  return pino({ level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime });
}

/** A pino logger in the shape Apollo Server and Apollo Gateway log through (one message, any type). */
export function apolloLogger(logger: Logger) {
  return {
    debug: (m: unknown) => logger.debug(String(m)),
    info: (m: unknown) => logger.info(String(m)),
    warn: (m: unknown) => logger.warn(String(m)),
    error: (m: unknown) => logger.error(String(m)),
  };
}
