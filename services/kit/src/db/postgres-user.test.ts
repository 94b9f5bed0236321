import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binariesCopyDir, clusterReachable, postgresUser, reachableBy, relocatedDataDir, runningAsRoot } from './postgres-user';

describe('the folder of a relocated cluster', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'thads-relocated-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is the same for every command of one project, and another for another project', () => {
    const a = join(dir, 'a', '.data', 'postgres');
    expect(relocatedDataDir(a, '/base')).toBe(relocatedDataDir(a, '/base'));
    expect(relocatedDataDir(a, '/base')).toMatch(/^\/base\/cluster-[0-9a-f]{16}$/);
    expect(relocatedDataDir(join(dir, 'b', '.data', 'postgres'), '/base')).not.toBe(relocatedDataDir(a, '/base'));
  });

  it('follows the real path, so a project reached through a link finds its cluster', () => {
    mkdirSync(join(dir, 'real', '.data'), { recursive: true });
    symlinkSync(join(dir, 'real'), join(dir, 'link'));
    expect(relocatedDataDir(join(dir, 'link', '.data', 'postgres'), '/base')).toBe(relocatedDataDir(join(dir, 'real', '.data', 'postgres'), '/base'));
  });

  it('keeps the binaries by package version', () => {
    expect(binariesCopyDir('18.4.0', '/base')).toBe(`/base/postgres-18.4.0-${process.platform}-${process.arch}`);
  });
});

// What the postgres user can reach is asked of the system itself, which only root may do.
const asRoot = runningAsRoot() ? describe : describe.skip;

asRoot('what the postgres user can reach', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'thads-reach-'));
    chmodSync(dir, 0o755);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is nothing inside a folder closed to others (mode 0700, as mktemp -d and home folders make)', () => {
    const user = postgresUser();
    const project = join(dir, 'closed');
    mkdirSync(join(project, 'bin'), { recursive: true, mode: 0o755 });
    chmodSync(project, 0o700);
    for (const name of ['initdb', 'postgres']) copyFileSync('/bin/true', join(project, 'bin', name));
    expect(reachableBy(user, join(project, 'bin', 'postgres'), 'x')).toBe(false);
    expect(clusterReachable(user, join(project, '.data', 'postgres'), join(project, 'bin'))).toEqual({ data: false, binaries: false });

    chmodSync(project, 0o755);
    mkdirSync(join(project, '.data'), { mode: 0o755 });
    expect(clusterReachable(user, join(project, '.data', 'postgres'), join(project, 'bin'))).toEqual({ data: true, binaries: true });
  });

  it('is not the folder of a cluster that the postgres user cannot write, and is a new folder it will be given', () => {
    const user = postgresUser();
    const data = join(dir, 'open', 'postgres');
    mkdirSync(data, { recursive: true, mode: 0o755 });
    const bin = join(dir, 'open', 'bin');
    mkdirSync(bin);
    for (const name of ['initdb', 'postgres']) copyFileSync('/bin/true', join(bin, name));
    expect(clusterReachable(user, data, bin)).toEqual({ data: true, binaries: true });
    writeFileSync(join(data, 'PG_VERSION'), '18\n');
    expect(reachableBy(user, data, 'w')).toBe(false);
    expect(clusterReachable(user, data, bin)).toEqual({ data: false, binaries: true });
  });
});
