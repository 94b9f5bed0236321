import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { FAMILIES, todayInVietnam } from '@thads/kit';
import { bearer } from '../../support/auth';
import { gql, type GraphQLResponse } from '../../support/graphql-client';
import { freePortRange, startHubProcess, type HubProcess } from '../../support/hub-process';
import { ROOT } from '../../support/pg-server';
import { createTestDatabase, dropTestDatabase } from '../../support/test-db';

const MUTATIONS = ['importCaseEvents', 'importMoneyEvents', 'importComplaintEvents'] as const;
const importOf = (mutation: string) => `mutation($path: String!) { ${mutation}(path: $path) { applied skipped } }`;
/** The cap the hub runs with here: small, so that an oversized file is quick to write. */
const MAX_BYTES = 1024 * 1024;
/** A value only the files hold: an answer that shows it has read a file it should not have. */
const MARKER = 'MARKER-7f3a9c-do-not-echo';

/** Resident memory of a process, in bytes. */
function rssOf(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) * 1024;
}

describe('attacks on the import mutations of a hub started with --secure', () => {
  let db: string;
  let hub: HubProcess;
  let pg: Client;
  let root: string;
  let importDir: string;
  let mine: { province: number; ward: number };
  let other: { province: number; ward: number };
  let nextCase = 9_100_000_000 + Math.floor(Math.random() * 1_000_000) * 100;
  const today = todayInVietnam();
  /** Every error message and extension the attacks got back, checked last for server paths. */
  const seen: string[] = [];

  const ask = async (mutation: string, path: string, headers: Record<string, string>) => {
    const res = await gql(hub.url, importOf(mutation), { path }, headers);
    seen.push(JSON.stringify(res.errors ?? []));
    return res;
  };
  const firstError = (res: GraphQLResponse) => res.errors?.[0] ?? { message: '', extensions: {} };
  const reporter = () => bearer('reporter', [mine.province]);
  const caseLine = (unitId: number) =>
    JSON.stringify({
      event: 'CASE_RECEIVED',
      caseId: String(nextCase++),
      unitId: String(unitId),
      date: today,
      judgmentRef: MARKER,
      categories: ['STATE_BUDGET'],
    });
  const counts = async () =>
    (
      await pg.query(
        `SELECT (SELECT count(*) FROM cases.enforcement_case)::int AS cases, (SELECT count(*) FROM complaints.citizen_reception)::int AS receptions`,
      )
    ).rows[0] as { cases: number; receptions: number };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'thads-attack-imports-'));
    importDir = join(root, 'imports');
    mkdirSync(join(importDir, 'sub'), { recursive: true });
    writeFileSync(join(root, 'outside.ndjson'), `{"event":"CASE_RECEIVED","judgmentRef":"${MARKER}"}\n`);
    db = await createTestDatabase('attack_imports');
    hub = await startHubProcess(db, await freePortRange(5), ['--secure', '--cases', '300'], { IMPORT_DIR: importDir, IMPORT_MAX_BYTES: String(MAX_BYTES) });
    pg = new Client({ connectionString: db });
    await pg.connect();
    const { rows } = await pg.query(
      `SELECT p.code, p.id AS province, min(w.id) AS ward FROM org_units.org_unit p JOIN org_units.org_unit w ON w.parent_id = p.id AND w.valid_to IS NULL
       WHERE p.type = 'PROVINCE' AND p.valid_to IS NULL AND p.code IN ('tuyen-quang', 'ha-noi') GROUP BY p.code, p.id`,
    );
    const byCode = new Map(rows.map((r: { code: string; province: number; ward: number }) => [r.code, { province: r.province, ward: r.ward }]));
    mine = byCode.get('tuyen-quang')!;
    other = byCode.get('ha-noi')!;
  }, 240000);

  afterAll(async () => {
    await pg?.end();
    await hub?.stop();
    if (db) await dropTestDatabase(db);
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('refuses a province and an integrator before touching the folder: one answer whether the file exists or not', async () => {
    writeFileSync(join(importDir, 'exists.ndjson'), `${caseLine(mine.ward)}\n`);
    writeFileSync(join(importDir, 'garbage.ndjson'), `not json ${MARKER}\n`);
    const paths = ['exists.ndjson', 'garbage.ndjson', 'missing.ndjson', 'sub/missing.csv', '../outside.ndjson', join(root, 'outside.ndjson'), '/etc/passwd'];
    const callers = { province: bearer('province', [mine.province]), integrator: bearer('integrator', [1], FAMILIES) };
    for (const [role, headers] of Object.entries(callers)) {
      for (const mutation of MUTATIONS) {
        const answers = new Set<string>();
        for (const path of paths) {
          const res = await ask(mutation, path, headers);
          expect(res.data?.[mutation] ?? null).toBeNull();
          const { message, extensions } = firstError(res);
          expect(extensions?.code).toBe('FORBIDDEN');
          expect(message).not.toContain(MARKER);
          expect(message).not.toContain(path);
          answers.add(JSON.stringify({ message, extensions }));
        }
        expect({ role, mutation, answers: answers.size }).toEqual({ role, mutation, answers: 1 });
        expect(JSON.parse([...answers][0]!).message).toBe('Only a reporter key or token may record events; yours is read-only.');
      }
    }
  });

  it('refuses a file over IMPORT_MAX_BYTES, naming the cap, writes nothing, and the service does not read it into memory', async () => {
    const line = caseLine(mine.ward);
    const lines = Math.ceil((MAX_BYTES * 8) / (line.length + 1));
    writeFileSync(join(importDir, 'huge.ndjson'), Array.from({ length: lines }, () => caseLine(mine.ward)).join('\n'));
    const processes = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(hub.child.pid)], { encoding: 'utf8' });
    const casesPid = Number(/^\s*(\d+)\s.*services\/cases\/dist\/index\.js/m.exec(processes)?.[1]);
    expect(casesPid).toBeGreaterThan(0);
    const before = await counts();
    await ask('importCaseEvents', 'huge.ndjson', reporter()); // the first call sets up what every later one reuses
    const rssBefore = rssOf(casesPid);
    for (let i = 0; i < 3; i++) {
      const res = await ask('importCaseEvents', 'huge.ndjson', reporter());
      const { message, extensions } = firstError(res);
      expect(extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'FILE_TOO_LARGE', maxBytes: MAX_BYTES });
      expect(message).toContain(`${MAX_BYTES} bytes, IMPORT_MAX_BYTES`);
    }
    // Read whole, 8 MiB of text would have taken tens of MiB (the text, its lines, their objects).
    expect(rssOf(casesPid) - rssBefore).toBeLessThan(8 * 1024 * 1024);
    expect(await counts()).toEqual(before);
  });

  it('names the line of a unit the reporter does not report for, and writes nothing', async () => {
    const before = await counts();
    writeFileSync(join(importDir, 'foreign.ndjson'), [caseLine(mine.ward), '', caseLine(other.ward), caseLine(mine.ward)].join('\n'));
    const cases = firstError(await ask('importCaseEvents', 'foreign.ndjson', reporter()));
    expect(cases.extensions).toMatchObject({ code: 'FORBIDDEN', line: 3, unitId: String(other.ward) });
    expect(cases.message).toBe(`Line 3: you do not report for unit ${other.ward}.`);
    writeFileSync(
      join(importDir, 'sub', 'foreign.csv'),
      `event,unitId,date,citizens\nCITIZENS_RECEIVED,${mine.ward},${today},2\nCITIZENS_RECEIVED,${other.ward},${today},1\n`,
    );
    const complaints = firstError(await ask('importComplaintEvents', 'sub/foreign.csv', reporter()));
    expect(complaints.extensions).toMatchObject({ code: 'FORBIDDEN', line: 3 });
    expect(complaints.message).toMatch(/^Line 3: /);
    expect(await counts()).toEqual(before);
    // The same file without the foreign line goes in: the refusal was the unit's, not the reporter's.
    writeFileSync(join(importDir, 'own.ndjson'), `${caseLine(mine.ward)}\n`);
    expect((await ask('importCaseEvents', 'own.ndjson', reporter())).data?.importCaseEvents).toEqual({ applied: 1, skipped: 0 });
  });

  it('refuses symbolic links inside the folder, to a file or to a folder', async () => {
    symlinkSync(join(root, 'outside.ndjson'), join(importDir, 'link.ndjson'));
    symlinkSync(root, join(importDir, 'up'));
    symlinkSync('/etc/passwd', join(importDir, 'passwd.csv'));
    for (const path of ['link.ndjson', 'up/outside.ndjson', 'up/imports/exists.ndjson', 'passwd.csv']) {
      for (const mutation of MUTATIONS) {
        const { message, extensions } = firstError(await ask(mutation, path, reporter()));
        expect(extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'SYMBOLIC_LINK' });
        expect(message).not.toMatch(new RegExp(`${MARKER}|root:`));
      }
    }
  });

  it('refuses "..", absolute paths and the like without reading them', async () => {
    const paths = [
      '../outside.ndjson',
      'sub/../../outside.ndjson',
      '..\\outside.ndjson',
      join(root, 'outside.ndjson'),
      join(importDir, 'own.ndjson'),
      '/etc/passwd',
    ];
    for (const path of paths) {
      for (const mutation of MUTATIONS) {
        const { message, extensions } = firstError(await ask(mutation, path, reporter()));
        expect(extensions?.code).toBe('BAD_USER_INPUT');
        expect(extensions?.reason).toMatch(/^(OUTSIDE_FOLDER|ABSOLUTE_PATH)$/);
        expect(message).not.toMatch(new RegExp(`${MARKER}|root:`));
      }
    }
    const missing = firstError(await ask('importCaseEvents', 'missing.ndjson', reporter()));
    expect(missing.message).toBe('No readable file "missing.ndjson" in the import folder.');
  });

  it('shows no absolute server path in any answer', () => {
    expect(seen.length).toBeGreaterThan(50);
    for (const text of seen) {
      for (const serverPath of [root, importDir, ROOT, tmpdir(), '/etc/passwd']) expect(text).not.toContain(serverPath);
    }
  });
});
