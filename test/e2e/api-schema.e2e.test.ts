import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildClientSchema, getIntrospectionQuery, lexicographicSortSchema, printSchema, type IntrospectionQuery } from 'graphql';
import { bearer } from '../support/auth';
import { gqlData } from '../support/graphql-client';
import { migrateAll, startInProcessHub, type InProcessHub } from '../support/in-process-hub';
import { ROOT } from '../support/pg-server';
import { createTestDatabase, dropTestDatabase } from '../support/test-db';

const run = promisify(execFile);
const API = join(ROOT, 'schema', 'api.graphql');

/** `hub schema …` with its exit code and what it said. */
async function hubSchema(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stderr } = await run(process.execPath, [join(ROOT, 'cli', 'dist', 'main.js'), 'schema', ...args], { cwd: ROOT });
    return { code: 0, out: stderr };
  } catch (err) {
    const e = err as { code: number; stderr: string };
    return { code: e.code, out: e.stderr };
  }
}

/**
 * The published schema tells the truth: what introspection answers (subscriptions included)
 * is what schema/api.graphql commits, and `hub schema check` fails on a change that would
 * break existing clients' queries unless it is listed as intended.
 */
describe('the published API schema', () => {
  let db: string;
  let hub: InProcessHub;
  let dir: string;

  beforeAll(async () => {
    db = await createTestDatabase('api_schema');
    await migrateAll(db);
    hub = await startInProcessHub(db);
    dir = mkdtempSync(join(tmpdir(), 'schema-check-'));
  }, 120000);

  afterAll(async () => {
    await hub?.stop();
    if (db) await dropTestDatabase(db);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('answers introspection with the committed schema/api.graphql, Subscription included', async () => {
    const data = await gqlData<IntrospectionQuery>(hub.url, getIntrospectionQuery(), undefined, bearer('ministry'));
    expect(data.__schema.subscriptionType?.name).toBe('Subscription');
    const served = printSchema(lexicographicSortSchema(buildClientSchema(data)));
    expect(`${served.trim()}\n`).toBe(readFileSync(API, 'utf8'));
    expect(served).toMatch(/liveUnit\(/);
  });

  it('passes against the released schema, fails on a breaking change, passes when that change is listed as intended', async () => {
    expect(await hubSchema('check')).toMatchObject({ code: 0 });
    // A release that had a field the current schema lacks: its clients' queries would break.
    const released = join(dir, 'api.graphql');
    writeFileSync(released, readFileSync(API, 'utf8').replace(/^type Query \{\n/m, 'type Query {\n  """Gone since."""\n  removedInThisChange: Int\n'));
    const intended = join(dir, 'intended.json');
    writeFileSync(intended, JSON.stringify({ intended: [] }));
    const failing = await hubSchema('check', '--released', released, '--intended', intended);
    expect(failing.code).toBe(1);
    expect(failing.out).toMatch(/BREAKING: Query\.removedInThisChange FIELD_REMOVED/);
    writeFileSync(intended, JSON.stringify({ intended: [{ path: 'Query.removedInThisChange', type: 'FIELD_REMOVED', reason: 'a test' }] }));
    const allowed = await hubSchema('check', '--released', released, '--intended', intended);
    expect(allowed).toMatchObject({ code: 0 });
    expect(allowed.out).toMatch(/intended breaking change: Query\.removedInThisChange/);
  }, 120000);
});
