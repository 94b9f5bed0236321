import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { bearer } from '../support/auth';
import { gqlData } from '../support/graphql-client';
import { freePortRange, startHubProcess, type HubProcess } from '../support/hub-process';
import { ROOT } from '../support/pg-server';
import { createTestDatabase, dropTestDatabase } from '../support/test-db';
import { until } from '../support/until';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The processes under `pid` whose command line holds `part` (a service's entry, PostgreSQL's binary). */
function descendants(pid: number, part: string): number[] {
  const parentOf = new Map<number, number>();
  const cmdOf = new Map<number, string>();
  for (const entry of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      cmdOf.set(Number(entry), readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' '));
    } catch {
      // gone meanwhile
    }
  }
  const under = (p: number): boolean => {
    for (let q = parentOf.get(p); q !== undefined && q > 1; q = parentOf.get(q)) if (q === pid) return true;
    return false;
  };
  return [...cmdOf].filter(([p, cmd]) => cmd.includes(part) && under(p)).map(([p]) => p);
}

const status = (url: string) =>
  fetch(url)
    .then((r) => r.status)
    .catch(() => 0);

/**
 * `hub start` keeps its processes running: a killed service or gateway comes back (and /ready
 * says 503 meanwhile), a killed embedded PostgreSQL is started again, a process that keeps
 * crashing stops the hub with its name and last lines, and the CLI beside a running hub finds
 * its database by itself.
 */
describe('hub start supervises its processes', () => {
  let db: string;
  let dir: string;
  const hubs: HubProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('supervision');
    dir = mkdtempSync(join(tmpdir(), 'supervision-'));
  });

  afterAll(async () => {
    for (const hub of hubs) await hub.stop();
    if (db) await dropTestDatabase(db);
    rmSync(dir, { recursive: true, force: true });
  });

  it('restarts a killed service and gateway, and the CLI beside it uses its database', async () => {
    const port = await freePortRange(5);
    const record = join(dir, 'running-hub.json');
    const hub = await startHubProcess(db, port, ['--cases', '300'], { HUB_RUNNING_FILE: record });
    hubs.push(hub);
    const ready = `http://127.0.0.1:${port}/ready`;
    for (const entry of ['services/cases/dist/index.js', 'gateway/dist/index.js']) {
      const [pid] = descendants(hub.child.pid!, entry);
      expect(pid).toBeDefined();
      process.kill(pid!, 'SIGKILL');
      await until('a 503 while it is down', async () => ((await status(ready)) !== 200 ? true : undefined), 10000);
      await until('the restarted process', () => descendants(hub.child.pid!, entry).find((p) => p !== pid));
      await until('/ready again', async () => ((await status(ready)) === 200 ? true : undefined));
    }
    expect(hub.log.join('\n')).toMatch(/cases exited \(signal SIGKILL\); restarting it/);
    expect(hub.log.join('\n')).toMatch(/gateway exited \(signal SIGKILL\); restarting it/);
    const { ministry } = await gqlData<{ ministry: { caseStats: { newlyReceived: number } } }>(
      hub.url,
      '{ ministry { caseStats(period: { year: 2025 }) { newlyReceived } } }',
      undefined,
      bearer('ministry'),
    );
    expect(ministry.caseStats.newlyReceived).toBeGreaterThan(0);

    // Beside the running hub, without DATABASE_URL: its database, found through its record.
    const env: NodeJS.ProcessEnv = { ...process.env, HUB_RUNNING_FILE: record };
    delete env.DATABASE_URL;
    const hub2 = join(ROOT, 'cli', 'dist', 'main.js');
    const created = await run(process.execPath, [hub2, 'keys', '--action', 'create', '--name', 'Cổng bên cạnh', '--owner', 'beside', '--role', 'ministry'], {
      env,
    });
    expect(created.stderr).toMatch(/using the database of the hub running at/);
    const listed = await run(process.execPath, [hub2, 'keys', '--action', 'list'], { env });
    expect(listed.stdout + listed.stderr).toMatch(/beside/);
    // A user error is one line, no stack.
    const file = join(dir, 'bad.ndjson');
    writeFileSync(file, '{"event":"CASE_RECEIVED","unitId":"x"}\n');
    const refused = await run(process.execPath, [hub2, 'import', '--file', file], { env }).catch((err: { code: number; stderr: string }) => err);
    expect((refused as { code: number }).code).toBe(1);
    const lines = (refused as { stderr: string }).stderr.trim().split('\n');
    expect(lines.at(-1)).toMatch(/^hub: Line 1: /);
    expect((refused as { stderr: string }).stderr).not.toMatch(/\n\s+at /);
  }, 240000);

  it('refuses a taken port before touching the database, naming it and the --port that fits beside', async () => {
    const port = await freePortRange(5);
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(port + 2, '127.0.0.1', resolve));
    const empty = await createTestDatabase('port-taken');
    try {
      const env = { ...process.env, DATABASE_URL: empty, HUB_RUNNING_FILE: join(dir, 'taken.json') };
      const refused = await run(process.execPath, [join(ROOT, 'cli', 'dist', 'main.js'), 'start', '--port', String(port)], { env, timeout: 60000 }).catch(
        (err: { code: number; stderr: string }) => err,
      );
      expect((refused as { code: number }).code).toBe(1);
      const said = (refused as { stderr: string }).stderr;
      expect(said).toContain(`not free: 127.0.0.1:${port + 2} (cases)`);
      expect(said).toContain(`--port ${port + 100}`);
      const client = new Client({ connectionString: empty });
      await client.connect();
      const tables = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'`);
      await client.end();
      expect(tables.rows[0]!.n).toBe(0);
    } finally {
      blocker.close();
      await dropTestDatabase(empty);
    }
  }, 120000);

  it('gives up on a process that keeps crashing: the hub stops and names it with its last lines', async () => {
    const port = await freePortRange(5);
    const hub = await startHubProcess(db, port, [], { HUB_RUNNING_FILE: join(dir, 'other.json') });
    hubs.push(hub);
    const exited = new Promise<number | null>((resolve) => hub.child.once('exit', (code) => resolve(code)));
    let last: number | undefined;
    for (let i = 0; i < 5 && hub.child.exitCode === null; i++) {
      const pid = await until(
        'the finances service',
        () => descendants(hub.child.pid!, 'services/finances/dist/index.js').find((p) => p !== last),
        30000,
      ).catch(() => undefined);
      if (pid === undefined) break;
      last = pid;
      process.kill(pid, 'SIGKILL');
      await sleep(300);
    }
    expect(await exited).toBe(1);
    const log = hub.log.join('\n');
    expect(log).toMatch(/finances exited \(signal SIGKILL\): 5 crashes within 60 s, giving up/);
    expect(log).toMatch(/finances keeps crashing; stopping the hub\. Its last lines:/);
    expect(await status(`http://127.0.0.1:${port}/ready`)).toBe(0);
  }, 240000);

  it('starts the embedded PostgreSQL again when it is killed', async () => {
    const port = await freePortRange(5);
    const pgPort = await freePortRange(1);
    const hub = await startHubProcess(undefined, port, ['--cases', '300'], {
      EMBEDDED_PG_DIR: join(dir, 'pg'),
      EMBEDDED_PG_PORT: String(pgPort),
      EMBEDDED_PG_PASSWORD: 'supervision-test-password',
      HUB_RUNNING_FILE: join(dir, 'embedded.json'),
    });
    hubs.push(hub);
    const [postgres] = descendants(hub.child.pid!, `-p ${pgPort}`);
    expect(postgres).toBeDefined();
    process.kill(postgres!, 'SIGKILL');
    const ready = `http://127.0.0.1:${port}/ready`;
    await until('a 503 while it is down', async () => ((await status(ready)) !== 200 ? true : undefined), 10000);
    await until('/ready again', async () => ((await status(ready)) === 200 ? true : undefined), 90000);
    // The services may answer a moment before the supervisor's restart of PostgreSQL has returned and said so.
    await until('the supervisor saying postgres is back', async () => (/postgres is back/.test(hub.log.join('\n')) ? true : undefined), 10000);
    const { ministry } = await gqlData<{ ministry: { name: string } }>(hub.url, '{ ministry { name } }', undefined, bearer('ministry'));
    expect(ministry.name).toMatch(/Bộ Tư pháp/);
  }, 300000);
});
