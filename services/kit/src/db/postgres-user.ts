import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** The system user PostgreSQL runs as when the hub runs as root (PostgreSQL refuses root). */
export interface PostgresUser {
  uid: number;
  gid: number;
}

/** Where a root-run hub keeps what the postgres user must reach: owned by root, outside any home folder. */
export const ROOT_RUNTIME_BASE = '/var/lib/thads-hub';

export const runningAsRoot = (): boolean => process.getuid?.() === 0;

function idOf(flag: '-u' | '-g'): number {
  return Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
}

/** The postgres user's ids, the user and its group made first when missing. */
export function postgresUser(): PostgresUser {
  try {
    return { uid: idOf('-u'), gid: idOf('-g') };
  } catch {
    spawnSync('groupadd', ['--system', 'postgres'], { stdio: 'ignore' });
    execFileSync('useradd', ['--system', '-g', 'postgres', '--no-create-home', 'postgres'], { stdio: 'ignore' });
    return { uid: idOf('-u'), gid: idOf('-g') };
  }
}

/**
 * Whether `user` may search (`x`, a folder) or execute (`x`, a file), or write (`w`), `path`.
 * The answer comes from `test` run under the user's ids, as PostgreSQL itself will be, so
 * every folder on the way (a 0700 home folder, an ACL) counts as it will for the server.
 */
export function reachableBy(user: PostgresUser, path: string, access: 'x' | 'w'): boolean {
  return spawnSync('test', [`-${access}`, path], { uid: user.uid, gid: user.gid, cwd: '/', stdio: 'ignore' }).status === 0;
}

/**
 * Whether the postgres user can run a cluster in `dataDir` with the binaries in `binDir`: the
 * data folder's parent searchable, and the folder itself writable once it holds a cluster
 * (a new cluster's folder is given to that user before initdb).
 */
export function clusterReachable(user: PostgresUser, dataDir: string, binDir: string): { data: boolean; binaries: boolean } {
  const made = existsSync(join(dataDir, 'PG_VERSION'));
  return {
    data: reachableBy(user, dirname(dataDir), 'x') && (!made || reachableBy(user, dataDir, 'w')),
    binaries: reachableBy(user, join(binDir, 'initdb'), 'x') && reachableBy(user, join(binDir, 'postgres'), 'x'),
  };
}

/** The real path of `path`, whose last parts may not exist yet. */
function realPathOf(path: string): string {
  if (existsSync(path)) return realpathSync(path);
  const parent = dirname(path);
  return parent === path ? path : join(realPathOf(parent), basename(path));
}

/**
 * The folder, under `base`, of the cluster that stands in for `dataDir` when the postgres user
 * cannot reach it: named by a hash of the data folder's real path, so that every command run
 * from the same project (start, seed, import, keys) finds the same cluster, and two projects
 * never share one.
 */
export function relocatedDataDir(dataDir: string, base = ROOT_RUNTIME_BASE): string {
  const hash = createHash('sha256').update(realPathOf(dataDir)).digest('hex').slice(0, 16);
  return join(base, `cluster-${hash}`);
}

/** The folder, under `base`, of the copy of the PostgreSQL binaries of one package version. */
export function binariesCopyDir(version: string, base = ROOT_RUNTIME_BASE): string {
  return join(base, `postgres-${version}-${process.platform}-${process.arch}`);
}
