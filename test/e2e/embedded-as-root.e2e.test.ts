import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { relocatedDataDir } from '../../services/kit/src/db/postgres-user';
import { freePortRange } from '../support/hub-process';
import { hubDb } from '../support/hub-db';

async function query(port: number, password: string, sql: string): Promise<unknown[]> {
  const client = new Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'thads' });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

// PostgreSQL runs as the postgres user only when the hub runs as root.
const asRoot = process.getuid?.() === 0 ? describe : describe.skip;

asRoot('the embedded PostgreSQL of a root-run hub cloned in a folder closed to others', () => {
  let closed: string;
  let dataDir: string;
  let relocated: string;
  let port: number;
  const password = randomBytes(16).toString('hex');

  beforeAll(async () => {
    closed = mkdtempSync(join(tmpdir(), 'thads-closed-'));
    dataDir = join(closed, 'hub', '.data', 'postgres');
    mkdirSync(dataDir, { recursive: true });
    relocated = relocatedDataDir(dataDir);
    port = await freePortRange(1);
  });
  afterAll(() => {
    rmSync(closed, { recursive: true, force: true });
    if (relocated) rmSync(relocated, { recursive: true, force: true });
  });

  it('runs as the postgres user, says where its data is, and finds the same cluster on the next start', async () => {
    const first = await hubDb(dataDir, port, password);
    try {
      expect(first.url).toBe(`postgres://postgres:***@127.0.0.1:${port}/thads`);
      expect(first.output.join('\n')).toContain(`cannot reach ${dataDir}, so the cluster's data is in ${relocated}`);
      expect(first.output.join('\n')).not.toContain(password);
      expect(await query(port, password, 'SHOW data_directory')).toEqual([{ data_directory: relocated }]);
      await query(port, password, 'CREATE TABLE kept (n int); INSERT INTO kept VALUES (7)');
    } finally {
      await first.stop();
    }

    const second = await hubDb(dataDir, port, password);
    try {
      expect(await query(port, password, 'SELECT n FROM kept')).toEqual([{ n: 7 }]);
    } finally {
      await second.stop();
    }
  }, 240000);
});
