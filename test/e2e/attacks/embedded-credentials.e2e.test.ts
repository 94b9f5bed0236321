import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { bearer } from '../../support/auth';
import { gqlData } from '../../support/graphql-client';
import { freePortRange, startHubProcess, type HubProcess } from '../../support/hub-process';
import { hubDb } from '../../support/hub-db';
import { ROOT } from '../../support/pg-server';

/** `hub start` keeps the local secrets here (git-ignored). */
const SECRETS_FILE = join(ROOT, '.data', 'secrets.json');

/** Whether the cluster takes a password: true, false on a wrong password, throws otherwise. */
async function accepts(port: number, password: string): Promise<boolean> {
  const client = new Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'thads' });
  try {
    await client.connect();
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === '28P01') return false;
    throw err;
  } finally {
    await client.end().catch(() => {});
  }
}

describe('an embedded cluster made with the old fixed password', () => {
  let dir: string;
  let port: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'thads-embedded-legacy-'));
    port = await freePortRange(1);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is moved to the stored password on its next start, keeps it, and a wrong one is refused clearly', async () => {
    // As hubs made them before: the superuser's password is "postgres".
    const old = await hubDb(dir, port, 'postgres');
    expect(old.url).toBe(`postgres://postgres:***@127.0.0.1:${port}/thads`);
    expect(await accepts(port, 'postgres')).toBe(true);
    await old.stop();

    const password = 'a1'.repeat(32);
    const moved = await hubDb(dir, port, password);
    try {
      expect(moved.url).toBe(`postgres://postgres:***@127.0.0.1:${port}/thads`);
      expect(await accepts(port, password)).toBe(true);
      expect(await accepts(port, 'postgres')).toBe(false);
      expect(moved.output.join('\n')).not.toContain(password);
    } finally {
      await moved.stop();
    }

    const again = await hubDb(dir, port, password);
    expect(await accepts(port, password)).toBe(true);
    await again.stop();

    const wrong = await hubDb(dir, port, 'wrong');
    expect(wrong.url).toBeUndefined();
    expect(await wrong.exited).not.toBe(0);
    expect(wrong.output.join('\n')).toMatch(/refuses the stored superuser password[^]*EMBEDDED_PG_PASSWORD/);
    // The refused start stopped its server: the next one gets the port.
    const last = await hubDb(dir, port, password);
    expect(last.url).toBeDefined();
    await last.stop();
  }, 240000);
});

describe('the embedded PostgreSQL’s credentials, with hub start --secure', () => {
  let dataDir: string;
  let pgPort: number;
  let hub: HubProcess;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'thads-embedded-hub-'));
    pgPort = await freePortRange(1);
    const env = { EMBEDDED_PG_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort), EMBEDDED_PG_PASSWORD: '' };
    hub = await startHubProcess(undefined, await freePortRange(5), ['--secure', '--cases', '200'], env);
  }, 300000);

  afterAll(async () => {
    await hub?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('uses a random password kept owner-only, never the old fixed one, and prints it nowhere', async () => {
    const password = (JSON.parse(readFileSync(SECRETS_FILE, 'utf8')) as { databasePassword?: string }).databasePassword!;
    expect(password).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(SECRETS_FILE).mode & 0o777).toBe(0o600);
    const output = [hub.url, ...hub.log].join('\n');
    expect(output).not.toContain(password);
    expect(output).toContain(`postgres://postgres:***@127.0.0.1:${pgPort}/thads`);

    expect(await accepts(pgPort, password)).toBe(true);
    expect(await accepts(pgPort, 'postgres')).toBe(false);
    expect((await gqlData(hub.url, '{ ministry { name } }', undefined, bearer('ministry'))).ministry.name).toMatch(/Bộ Tư pháp/);
  });
});
