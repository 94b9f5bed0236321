import type { Logger } from 'pino';
import { PgNotices } from '../changes/pg-notices';
import type { GatewayConfig } from '../config';
import { AnswerCache } from './answer-cache';
import { CacheInvalidation } from './cache-invalidation';
import { ChangeLog } from './change-log';
import { FetchCache } from './fetch-cache';

/** The gateway's two caches, the change log they check against and what keeps them current. */
export interface Caches {
  answers: AnswerCache;
  fetches: FetchCache;
  notices: PgNotices;
  invalidation: CacheInvalidation;
}

/**
 * Makes the caches (ANSWER_CACHE_MB split between whole answers and subgraph fetches) and
 * their LISTEN connection; `notices.start()` connects it.
 */
export function startCaches(config: GatewayConfig, databaseUrl: string, logger: Logger): Caches {
  const log = new ChangeLog();
  const bytes = config.ANSWER_CACHE_MB * 1024 * 1024;
  const answers = new AnswerCache(bytes / 2, log);
  const fetches = new FetchCache(bytes / 2, log);
  const notices = new PgNotices(databaseUrl, logger);
  return { answers, fetches, notices, invalidation: new CacheInvalidation(notices, log, answers, fetches, logger) };
}
