import { startEmbeddedForTests, systemPostgresAnswers, SYSTEM_PG } from './pg-server';

/**
 * One PostgreSQL server for the whole run: the one on 127.0.0.1:5432 when it answers (CI
 * here), else the project's embedded PostgreSQL on a port of its own. Each test file then
 * makes its own database on it (test-db.ts).
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_PG_ADMIN_URL) return;
  if (await systemPostgresAnswers()) {
    process.env.TEST_PG_ADMIN_URL = SYSTEM_PG;
    return;
  }
  const { url, child } = await startEmbeddedForTests(Number(process.env.TEST_EMBEDDED_PG_PORT ?? 54339));
  process.env.TEST_PG_ADMIN_URL = url;
  (globalThis as { __thadsEmbeddedPg?: typeof child }).__thadsEmbeddedPg = child;
}
