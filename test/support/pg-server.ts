import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from 'pg';

export const ROOT = resolve(__dirname, '..', '..');
export const SYSTEM_PG = 'postgres://postgres@127.0.0.1:5432/postgres';

/** Whether a PostgreSQL answers on 127.0.0.1:5432 (as in CI here). */
export async function systemPostgresAnswers(): Promise<boolean> {
  const client = new Client({ connectionString: SYSTEM_PG, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Starts the project's embedded PostgreSQL (`hub db`) in a temporary folder, as its own
 * process with a password of its own, and returns its admin URL once it prints it.
 */
export function startEmbeddedForTests(port: number): Promise<{ url: string; child: ChildProcess }> {
  const dir = mkdtempSync(join(tmpdir(), 'thads-test-pg-'));
  const password = randomBytes(16).toString('hex');
  const child = spawn(process.execPath, [join(ROOT, 'cli', 'dist', 'main.js'), 'db', '--port', String(port), '--dir', dir], {
    env: { ...process.env, EMBEDDED_PG_PASSWORD: password },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: false,
  });
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error('embedded PostgreSQL did not start in 120 s')), 120000);
    child.once('exit', (code) => reject(new Error(`embedded PostgreSQL exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      // `hub db` prints the URL with its password masked; the password is the one given above.
      const url = new URL(line.trim().replace(/\/thads$/, '/postgres'));
      url.password = password;
      resolvePromise({ url: url.toString(), child });
    });
  });
}
