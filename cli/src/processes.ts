import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { readableLogLine } from './log-lines';
import { PROJECT_ROOT } from './services';

export interface Child {
  name: string;
  process: ChildProcess;
  exited: Promise<number | null>;
}

/**
 * Node's own flags given to the hub (`node --cpu-prof --cpu-prof-dir=prof cli/dist/main.js start`,
 * say) apply to every service it starts, but the debugger's, whose ports would collide.
 */
const nodeFlags = () => process.execArgv.filter((a) => !a.startsWith('--inspect'));

/** Starts one compiled service as its own process, its JSON logs printed readably (or raw with `json`). */
export function startChild(name: string, entry: string, env: NodeJS.ProcessEnv, json: boolean, out: (line: string) => void): Child {
  const child = spawn(process.execPath, [...nodeFlags(), join(PROJECT_ROOT, entry)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => out(json ? line : readableLogLine(line, name)));
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { name, process: child, exited };
}

/** Polls a URL until it answers 200 or the time is up. */
export async function waitForReady(url: string, child: Child, timeoutMs = 60000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void child.exited.then((code) => (exitCode = code));
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`${child.name} exited with code ${exitCode} before it was ready; its log above says why.`);
    const ok = await fetch(url, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${child.name} was not ready at ${url} after ${timeoutMs / 1000}s.`);
}

/** SIGTERM to every child, then waits for them (SIGKILL after the grace time). */
export async function stopChildren(children: Child[], graceMs = 10000): Promise<void> {
  await Promise.all(
    children.map(async (c) => {
      if (c.process.exitCode !== null) return;
      c.process.kill('SIGTERM');
      const timer = setTimeout(() => c.process.kill('SIGKILL'), graceMs);
      await c.exited;
      clearTimeout(timer);
    }),
  );
}
