import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT } from './pg-server';

/**
 * Runs `hub db` on a cluster folder with a given password until it prints its URL (then
 * `stop` ends it), or until it exits (a refused start: its output says why).
 */
export async function hubDb(dir: string, port: number, password: string) {
  const child = spawn(process.execPath, [join(ROOT, 'cli', 'dist', 'main.js'), 'db', '--port', String(port), '--dir', dir], {
    env: { ...process.env, EMBEDDED_PG_PASSWORD: password },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => output.push(line));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string | undefined>((resolve) => {
    createInterface({ input: child.stdout }).once('line', (line) => resolve(line.trim()));
    void exited.then(() => resolve(undefined));
  });
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    return exited;
  };
  return { url, output, exited, stop };
}
