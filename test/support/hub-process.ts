import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { canListen } from '../../cli/src/ports';
import { ROOT } from './pg-server';
import { TEST_IDENTITY_SECRET, TEST_JWT_SECRET } from './auth';

/**
 * The ports the kernel hands out for outgoing connections and `listen(0)`: a test port taken
 * from this range can be grabbed by any connection between the check and the hub's listen.
 */
function ephemeralRange(): [number, number] {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (Number.isInteger(low) && Number.isInteger(high)) return [low!, high!];
  } catch {
    // not Linux: the IANA dynamic range
  }
  return [49152, 65535];
}

const handedOut = new Set<number>();

/**
 * A base port whose next `count` ports are free too, outside the kernel's ephemeral range and
 * never handed out before in this process (a range checked free is not yet bound, so a second
 * call could otherwise return the same ports).
 */
export async function freePortRange(count: number): Promise<number> {
  const [ephemeralLow, ephemeralHigh] = ephemeralRange();
  const low = 20000;
  const high = ephemeralLow > low + 2000 ? ephemeralLow - count : 65535 - count;
  for (let attempt = 0; attempt < 100; attempt++) {
    const base = low + Math.floor(Math.random() * (high - low));
    const ports = Array.from({ length: count }, (_v, i) => base + i);
    if (ports.some((p) => handedOut.has(p) || (p >= ephemeralLow && p <= ephemeralHigh))) continue;
    const checks = await Promise.all(ports.map((p) => canListen('127.0.0.1', p)));
    if (checks.some(Boolean)) continue;
    for (const p of ports) handedOut.add(p);
    return base;
  }
  throw new Error('no free port range found');
}

export interface HubProcess {
  url: string;
  child: ChildProcess;
  log: string[];
  stop(): Promise<number | null>;
}

/**
 * Runs `hub start` as a user would, as its own process tree, until it prints the gateway URL.
 * Without a database URL the hub starts its embedded PostgreSQL (EMBEDDED_PG_* in `env`);
 * `env` reaches every process it starts (the gateway's limits, say).
 */
export async function startHubProcess(
  databaseUrl: string | undefined,
  port: number,
  extraArgs: string[] = [],
  env: Record<string, string> = {},
): Promise<HubProcess> {
  const base: NodeJS.ProcessEnv = {
    ...process.env,
    LOG_LEVEL: 'warn',
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    IDENTITY_SECRET: TEST_IDENTITY_SECRET,
    // Its record of the running hub goes beside the test, not over a developer's own hub's in .data/.
    HUB_RUNNING_FILE: join(tmpdir(), `thads-test-hub-${port}.json`),
    ...env,
  };
  if (databaseUrl) base.DATABASE_URL = databaseUrl;
  else delete base.DATABASE_URL;
  const child = spawn(process.execPath, [join(ROOT, 'cli', 'dist', 'main.js'), 'start', '--port', String(port), '--json', ...extraArgs], {
    env: base,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => log.push(line));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hub did not start in 180 s:\n${log.slice(-30).join('\n')}`)), 180000);
    void exited.then((code) => reject(new Error(`hub exited with ${code}:\n${log.slice(-30).join('\n')}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve(line.trim());
    });
  });
  return {
    url,
    child,
    log,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
