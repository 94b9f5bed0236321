import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { gql, gqlData } from '../support/graphql-client';
import { ROOT } from '../support/pg-server';
import { freePortRange, startHubProcess, type HubProcess } from '../support/hub-process';
import { createTestDatabase, dropTestDatabase } from '../support/test-db';
import { until } from '../support/until';

const CASE = 'caseStats(period: $period, asOf: $asOf) { newlyReceived done toEnforce enforceable completionRate }';
const MONEY = 'moneyStats(period: $period, asOf: $asOf) { newlyReceived done enforceable }';
const COMPLAINTS = 'complaintStats(period: $period, asOf: $asOf) { newlyReceived resolved citizensReceived }';
const ALL = `${CASE} ${MONEY} ${COMPLAINTS}`;

describe('the whole hub, started as a user starts it', () => {
  let db: string;
  let hub: HubProcess;

  beforeAll(async () => {
    db = await createTestDatabase('e2e');
    hub = await startHubProcess(db, await freePortRange(5), ['--cases', '4000']);
  }, 240000);

  afterAll(async () => {
    await hub?.stop();
    if (db) await dropTestDatabase(db);
  });

  it('answers one query for a province and its wards with fields from all four subgraphs, and the figures add up', async () => {
    const data = await gqlData(
      hub.url,
      `query($code: String!, $period: PeriodInput!, $asOf: Date) {
        unitByCode(code: $code) {
          id name type
          ${ALL}
          children { id name type wardKind ${ALL} lineage { from { id ${ALL} } } }
          lineage { kind from { id name ${ALL} } }
        }
      }`,
      { code: 'tuyen-quang', period: { year: 2025 }, asOf: '2025-09-30' },
    );
    const province = data.unitByCode;
    expect(province).toMatchObject({ name: 'Tuyên Quang', type: 'PROVINCE' });
    expect(province.children.length).toBeGreaterThan(10);
    expect(province.children.every((w: { type: string; name: string }) => w.type === 'WARD' && /^(Xã|Phường|Đặc khu) /.test(w.name))).toBe(true);
    // A merged province = its wards + its predecessors (each with its old districts and their
    // communes), where the wards also carry the old communes merged into them: counted once.
    const parts = [...province.children, ...province.lineage.map((l: { from: unknown }) => l.from)];
    const mergedCommunes = province.children.flatMap((w: { lineage: { from: unknown }[] }) => w.lineage.map((l) => l.from));
    expect(mergedCommunes.length).toBeGreaterThan(0);
    const total = (units: unknown[], pick: (u: any) => string | number) => units.reduce((s: bigint, u: unknown) => s + BigInt(pick(u)), 0n);
    const sum = (pick: (u: any) => string | number) => (total(parts, pick) - total(mergedCommunes, pick)).toString();
    expect(String(province.caseStats.done)).toBe(sum((u) => u.caseStats.done));
    expect(String(province.caseStats.newlyReceived)).toBe(sum((u) => u.caseStats.newlyReceived));
    expect(province.moneyStats.done).toBe(sum((u) => u.moneyStats.done));
    expect(province.moneyStats.enforceable).toBe(sum((u) => u.moneyStats.enforceable));
    expect(String(province.complaintStats.newlyReceived)).toBe(sum((u) => u.complaintStats.newlyReceived));
    expect(province.caseStats.done).toBeGreaterThan(0);
    expect(BigInt(province.moneyStats.done)).toBeGreaterThan(0n);
  });

  it('gives a ward the previous year of the old communes merged into it, through the API', async () => {
    const CASE_FIGURES = '{ toEnforce newlyReceived done enforceable }';
    const MONEY_FIGURES = '{ enforceable done }';
    const data = await gqlData(
      hub.url,
      `{
        unitByCode(code: "tuyen-quang", asOf: "2026-03-31") {
          children {
            id
            caseStats(period: { year: 2026, months: 6 }) { previousYear ${CASE_FIGURES} }
            moneyStats(period: { year: 2026, months: 6 }) { previousYear ${MONEY_FIGURES} }
            lineage {
              kind
              from { id type caseStats(period: { year: 2025, months: 6 }) ${CASE_FIGURES} moneyStats(period: { year: 2025, months: 6 }) ${MONEY_FIGURES} }
            }
          }
        }
      }`,
    );
    type Figures = Record<string, string | number>;
    type Ward = {
      id: string;
      caseStats: { previousYear: Figures };
      moneyStats: { previousYear: Figures };
      lineage: { kind: string; from: { type: string; caseStats: Figures; moneyStats: Figures } }[];
    };
    const wards = data.unitByCode.children as Ward[];
    expect(wards.length).toBeGreaterThan(0);
    const sum = (figures: Figures[], field: string) => String(figures.reduce((s, f) => s + BigInt(f[field]!), 0n));
    for (const ward of wards) {
      // Three or four old communes a ward; their Oct 2024 – Mar 2025 is the ward's previous year.
      expect(ward.lineage.length).toBeGreaterThanOrEqual(3);
      expect(ward.lineage.every(({ kind, from }) => kind === 'MERGED_INTO' && from.type === 'WARD')).toBe(true);
      for (const field of Object.keys(ward.caseStats.previousYear)) {
        expect([ward.id, field, String(ward.caseStats.previousYear[field])]).toEqual([
          ward.id,
          field,
          sum(
            ward.lineage.map((l) => l.from.caseStats),
            field,
          ),
        ]);
      }
      for (const field of Object.keys(ward.moneyStats.previousYear)) {
        expect([ward.id, field, String(ward.moneyStats.previousYear[field])]).toEqual([
          ward.id,
          field,
          sum(
            ward.lineage.map((l) => l.from.moneyStats),
            field,
          ),
        ]);
      }
    }
    expect(wards.some((w) => Number(w.caseStats.previousYear.toEnforce) > 0 && BigInt(w.moneyStats.previousYear.enforceable) > 0n)).toBe(true);
  });

  it('ranks nothing yet but serves the national figures equal to the sum of the 34 provinces', async () => {
    const data = await gqlData(
      hub.url,
      `query($period: PeriodInput!, $asOf: Date) { ministry { ${CASE} } units(type: PROVINCE, asOf: "2025-09-30") { ${CASE} } }`,
      { period: { year: 2025, months: 6 }, asOf: null },
    );
    const total = data.units.reduce((s: number, u: { caseStats: { done: number } }) => s + u.caseStats.done, 0);
    expect(data.units).toHaveLength(34);
    expect(total).toBe(data.ministry.caseStats.done);
  });

  it('answers bad input with a clear error and a stable code, and keeps serving', async () => {
    const unknown = await gql(hub.url, `{ unit(id: "987654") { name caseStats(period: { year: 2025 }) { done } } }`);
    expect(unknown.errors?.[0]?.extensions?.code).toBe('UNIT_NOT_FOUND');
    expect(unknown.errors?.[0]?.message).toMatch(/No organizational unit has id "987654"/);
    const badDate = await gql(hub.url, `{ units(type: PROVINCE, asOf: "2025-31-12") { id } }`);
    expect(badDate.errors?.[0]?.extensions?.code).toBe('INVALID_DATE');
    const badPeriod = await gql(hub.url, `{ ministry { caseStats(period: { year: 2025, quarter: 5 }) { done } } }`);
    expect(badPeriod.errors?.[0]?.extensions?.code).toBe('INVALID_PERIOD');
    const badVariable = await gql(hub.url, `query($d: Date) { units(type: WARD, asOf: $d) { id } }`, { d: '30/09/2025' });
    expect(badVariable.errors?.[0]?.extensions?.code).toBe('INVALID_DATE');
    for (const res of [unknown, badDate, badPeriod, badVariable]) expect(JSON.stringify(res.errors)).not.toMatch(/stacktrace|node_modules|SELECT /);
    const ok = await gqlData(hub.url, `{ ministry { name } }`);
    expect(ok.ministry.name).toMatch(/Bộ Tư pháp/);
  });

  /** The hub's command line on the test's database; asynchronously: a blocked event loop would miss the gateway closing an idle kept-alive socket. */
  const hubCli = (...args: string[]) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        [join(ROOT, 'cli', 'dist', 'main.js'), ...args],
        { env: { ...process.env, DATABASE_URL: db } },
        (_err, stdout, stderr) => resolve({ status: child.exitCode, stdout, stderr }),
      );
    });

  it('imports an event file from the command line, showing its progress, into the figures the gateway serves', async () => {
    const ward = (await gqlData(hub.url, `{ units(type: WARD) { id } }`)).units[0].id as string;
    const query = `query($id: ID!) { unit(id: $id) { caseStats(period: { year: 2025 }) { newlyReceived enforceable } } }`;
    const before = (await gqlData(hub.url, query, { id: ward })).unit.caseStats;
    const caseId = String(8_000_000_000 + (Date.now() % 1_000_000));
    const dir = mkdtempSync(join(tmpdir(), 'thads-cli-import-'));
    try {
      const file = join(dir, 'events.ndjson');
      writeFileSync(
        file,
        [
          { event: 'CASE_RECEIVED', caseId, unitId: ward, date: '2025-08-01', judgmentRef: '7/2025' },
          { event: 'CASE_CLASSIFIED_ENFORCEABLE', caseId, date: '2025-08-02' },
        ]
          .map((line) => JSON.stringify(line))
          .join('\n'),
      );
      const imported = await hubCli('import', '--file', file);
      expect({ status: imported.status, stderr: imported.stderr }).toEqual({
        status: 0,
        stderr: expect.stringMatching(/write █+ 100% 2\/2 events · [\d,]+\/s · [\d.]+s/),
      });
      expect(imported.stderr).toMatch(/imported 2 events \(2 case, 0 money, 0 complaint\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // Written by another process, the import reaches the gateway as a change notice at its commit: the answer includes it once heard.
    const expected = { newlyReceived: before.newlyReceived + 1, enforceable: before.enforceable + 1 };
    const after = await until(
      'the imported case in the ward’s figures',
      async () => {
        const now = (await gqlData(hub.url, query, { id: ward })).unit.caseStats;
        return now.newlyReceived === expected.newlyReceived ? now : undefined;
      },
      5000,
      50,
    );
    expect(after).toEqual(expected);
  });

  it('verifies every maintained figure against the raw facts, names a tampered row, and rebuilds it while serving', async () => {
    // Arguments it cannot take: exit 2, nothing done, a line saying what to give instead.
    for (const [args, says] of [
      [['verify', '--only', 'bogus'], /--only: unknown service bogus; choose from cases/],
      [['keys', '--action', 'revoke', '--id', 'abc'], /--id is a key's number, e\.g\. --id 3/],
      [['start', '--port', '65533'], /--port must be a port from 1 to 65531 \(the 4 ports above it are used too\)/],
    ] as const) {
      const refused = await hubCli(...args);
      expect({ args, status: refused.status, says: says.test(refused.stderr) }).toEqual({ args, status: 2, says: true });
    }
    const clean = await hubCli('verify');
    expect(clean.status).toBe(0);
    expect(clean.stdout).toMatch(/✓ cases\s+cases\.case_month_rollup\s+[\d,]+ rows compared, 0 differ/);
    expect(clean.stderr).toMatch(/every maintained figure equals its recomputation/);
    const query = `{ ministry { caseStats(period: { year: 2025 }) { done enforceable } } }`;
    const before = await gqlData(hub.url, query);
    const admin = new Client({ connectionString: db });
    await admin.connect();
    try {
      await admin.query(`UPDATE cases.case_month_rollup SET done = done + 3 WHERE unit_id = 1 AND bucket = 0 AND month = '2025-03-01' AND epoch = '-infinity'`);
    } finally {
      await admin.end();
    }
    const tampered = await hubCli('verify', '--only', 'cases');
    expect(tampered.status).toBe(1);
    expect(tampered.stdout).toMatch(/✗ cases\s+cases\.case_month_rollup\s+[\d,]+ rows compared, 1 differ/);
    expect(tampered.stdout).toMatch(/epoch=-infinity unit_id=1 bucket=0 month=2025-03-01: done stored (\d+), recomputed \d+/);
    const rebuilt = await hubCli('rebuild', '--only', 'cases');
    expect(rebuilt.status).toBe(0);
    expect((await hubCli('verify', '--only', 'cases')).status).toBe(0);
    expect(await gqlData(hub.url, query)).toEqual(before);
  }, 120000);

  it('carries the request id back to the client', async () => {
    const res = await gql(hub.url, `{ ministry { id } }`, undefined, { 'x-request-id': 'e2e-trace-42' });
    expect(res.headers.get('x-request-id')).toBe('e2e-trace-42');
  });

  it('reports ready only when every subgraph is ready', async () => {
    const ready = await fetch(hub.url.replace('/graphql', '/ready'));
    expect(ready.status).toBe(200);
  });

  it('stops cleanly on SIGTERM', async () => {
    const code = await hub.stop();
    expect(code).toBe(0);
    await expect(fetch(hub.url, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
  });
});
