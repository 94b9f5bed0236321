import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PROJECT_ROOT } from './services';

/**
 * Where a running `hub start` says which database it serves, so that `hub import`, `keys` and
 * `seed` beside it use that database without DATABASE_URL being copied from its banner. It
 * holds the database URL with its password: owner-only (mode 600), under the git-ignored .data/.
 */
export const RUNNING_HUB_FILE = join(PROJECT_ROOT, '.data', 'running-hub.json');

/** The record's place: HUB_RUNNING_FILE (tests, several hubs from one clone) or .data/running-hub.json. */
const recordFile = () => process.env.HUB_RUNNING_FILE ?? RUNNING_HUB_FILE;

export interface RunningHubRecord {
  pid: number;
  url: string;
  databaseUrl: string;
}

export function recordRunningHub(record: RunningHubRecord, file = recordFile()): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(record, null, 2), { mode: 0o600 });
  chmodSync(file, 0o600);
}

export function forgetRunningHub(file = recordFile()): void {
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as RunningHubRecord;
    if (record.pid === process.pid) rmSync(file, { force: true });
  } catch {
    // nothing recorded, or not by this process
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The hub running from this clone, if one is (its process still alive), other than this process. */
export function runningHub(file = recordFile()): RunningHubRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as RunningHubRecord;
    return record.pid !== process.pid && alive(record.pid) ? record : undefined;
  } catch {
    return undefined;
  }
}
