import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { Client } from 'pg';
import { demoEventLines, generateDemoCases, generateDemoComplaints, toNdjson, verifyRollup, type DemoCase, type EventLine } from '@thads/kit';
import { CASE_ROLLUPS, clearCases } from '@thads/cases';
import { COMPLAINT_ROLLUP, clearComplaints } from '@thads/complaints';
import { MONEY_ROLLUP, clearMoney } from '@thads/finances';
import { orgUnitsDataSource, seedUnits } from '@thads/org-units';
import { caseFiguresBF, coveredUnits, moneyFiguresBF, petitionFiguresBF } from '../support/brute-force';
import { gql, gqlData } from '../support/graphql-client';
import { migrateAll, startInProcessHub, type InProcessHub } from '../support/in-process-hub';
import { randomProvinceData } from '../support/random-hierarchy';
import { leavesOf, migrated } from '../support/seeded-db';
import { createTestDatabase, dropTestDatabase } from '../support/test-db';
import { bearer } from '../support/auth';

/** A reporter for the whole country: the role that may record events. */
const REPORTER = bearer('reporter', [1]);
import { casesDataSource } from '@thads/cases';
import { complaintsDataSource } from '@thads/complaints';
import { financesDataSource } from '@thads/finances';

const IMPORT = `mutation($path: String!) {
  cases: importCaseEvents(path: $path) { applied skipped }
}`;
const IMPORT_MONEY = `mutation($path: String!) { importMoneyEvents(path: $path) { applied skipped } }`;
const IMPORT_COMPLAINTS = `mutation($path: String!) { importComplaintEvents(path: $path) { applied skipped } }`;

const STATS = `
  caseStats(period: $period, asOf: $asOf) { carriedOver newlyReceived entrustedOut withdrawn separateBook toEnforce enforceable done completed terminated carriedToNext periodStart periodEnd asOf }
  moneyStats(period: $period, asOf: $asOf) { carriedOver newlyReceived toEnforce enforceable done collected }
  complaintStats(period: $period, asOf: $asOf) { carriedOver newlyReceived resolved citizensReceived }`;

describe('writes through the gateway on a random hierarchy with a merger', () => {
  let db: string;
  let hub: InProcessHub;
  let admin: Client;

  beforeAll(async () => {
    db = await createTestDatabase('write_side');
    await migrateAll(db);
    hub = await startInProcessHub(db);
    admin = new Client({ connectionString: db });
    await admin.connect();
  }, 120000);

  afterAll(async () => {
    await admin?.end();
    await hub?.stop();
    if (db) await dropTestDatabase(db);
  });

  async function reseed(seed: number) {
    const { data, districts } = randomProvinceData(seed);
    const ou = await migrated(orgUnitsDataSource(db, 1));
    const cs = await migrated(casesDataSource(db, 1));
    const fi = await migrated(financesDataSource(db, 1));
    const co = await migrated(complaintsDataSource(db, 1));
    try {
      await Promise.all([clearCases(cs), clearMoney(fi), clearComplaints(co)]);
      return await seedUnits(ou, { districts }, data);
    } finally {
      await Promise.all([ou, cs, fi, co].map((d) => d.destroy()));
    }
  }

  /** Every maintained table of every service equals its recomputation from the raw facts. */
  async function expectVerified() {
    const [, cs, fi, co] = hub.subgraphs.map((s) => s.dataSource);
    for (const [db, specs] of [
      [cs!, CASE_ROLLUPS],
      [fi!, [MONEY_ROLLUP]],
      [co!, [COMPLAINT_ROLLUP]],
    ] as const) {
      for (const spec of specs)
        for (const r of await verifyRollup(db, spec))
          expect({ table: r.table, differing: r.differing, differences: r.differences }).toEqual({ table: r.table, differing: 0, differences: [] });
    }
  }

  async function importAll(name: string, text: string) {
    writeFileSync(join(hub.importDir, name), text);
    const a = await gqlData(hub.url, IMPORT, { path: name }, REPORTER);
    const b = await gqlData(hub.url, IMPORT_MONEY, { path: name }, REPORTER);
    const c = await gqlData(hub.url, IMPORT_COMPLAINTS, { path: name }, REPORTER);
    return a.cases.applied + b.importMoneyEvents.applied + c.importComplaintEvents.applied;
  }

  it('rolls up every unit exactly as a brute-force recomputation from the raw events, and parents sum their children', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.constantFrom(2023, 2024, 2025),
        fc.integer({ min: 1, max: 12 }),
        fc.constantFrom('2024-12-31', '2025-09-30', null),
        async (seed, year, months, asOf) => {
          const seeded = await reseed(seed);
          const leaves = leavesOf(seeded.units);
          const cases: DemoCase[] = [...generateDemoCases({ cases: 120, leaves, seed: `w${seed}` })].flat();
          const { petitions, receptions } = generateDemoComplaints({ cases: 120, leaves, seed: `w${seed}` });
          const lines = demoEventLines(cases, petitions, receptions);
          expect(await importAll(`random-${seed}.ndjson`, toNdjson(lines))).toBe(lines.length);
          await expectVerified();

          const ids = seeded.units.map((u) => u.id);
          for (const id of ids) {
            const res = await gqlData(hub.url, `query($id: ID!, $period: PeriodInput!, $asOf: Date) { unit(id: $id) { id ${STATS} } }`, {
              id: String(id),
              period: { year, months },
              asOf,
            });
            const u = res.unit;
            const covered = coveredUnits(seeded.units, seeded.lineage, id, u.caseStats.asOf);
            expect({ id, ...u.caseStats }).toMatchObject({ id, ...caseFiguresBF(cases, covered, u.caseStats.periodStart, u.caseStats.periodEnd) });
            const money = moneyFiguresBF(cases, covered, u.caseStats.periodStart, u.caseStats.periodEnd);
            expect({ id, ...u.moneyStats }).toMatchObject({ id, ...Object.fromEntries(Object.entries(money).map(([k, v]) => [k, v.toString()])) });
            expect({ id, ...u.complaintStats }).toMatchObject({
              id,
              ...petitionFiguresBF(petitions, receptions, covered, u.caseStats.periodStart, u.caseStats.periodEnd),
            });
          }
          // The nation is the sum of the provinces valid on the hierarchy date.
          const date = asOf ?? `${year}-09-30`;
          const provinces = seeded.units.filter((u) => u.type === 'PROVINCE' && u.validFrom <= date && (u.validTo === null || date < u.validTo));
          const sums = await gqlData(
            hub.url,
            `query($period: PeriodInput!, $asOf: Date) { ministry { caseStats(period: $period, asOf: $asOf) { done toEnforce } } units(type: PROVINCE, asOf: "${date}") { id caseStats(period: $period, asOf: $asOf) { done toEnforce } } }`,
            { period: { year, months }, asOf },
          );
          expect(sums.units.map((u: { id: string }) => Number(u.id)).sort()).toEqual(provinces.map((p) => p.id).sort());
          expect(sums.units.reduce((s: number, u: { caseStats: { done: number } }) => s + u.caseStats.done, 0)).toBe(sums.ministry.caseStats.done);
          expect(sums.units.reduce((s: number, u: { caseStats: { toEnforce: number } }) => s + u.caseStats.toEnforce, 0)).toBe(
            sums.ministry.caseStats.toEnforce,
          );
        },
      ),
      { numRuns: 3 },
    );
  }, 240000);

  describe('single mutations', () => {
    let ward: number;
    let district: number;
    const key = (label: string) => `test-${label}-${Math.random().toString(36).slice(2, 12)}`;

    beforeAll(async () => {
      const seeded = await reseed(42);
      ward = seeded.units.find((u) => u.type === 'WARD')!.id;
      district = seeded.units.find((u) => u.type === 'DISTRICT')!.id;
    }, 60000);

    const receive = (unitId: number, receivedOn: string, idempotencyKey: string, judgmentRef = '12/2025/DS-ST') =>
      gql(
        hub.url,
        `mutation($input: ReceiveCaseInput!, $key: String!) { receiveCase(input: $input, idempotencyKey: $key) { id status } }`,
        {
          input: { unitId: String(unitId), receivedOn, judgmentRef, categories: ['STATE_BUDGET'] },
          key: idempotencyKey,
        },
        REPORTER,
      );
    const event = (caseId: string, kind: string, occurredOn: string, idempotencyKey: string) =>
      gql(
        hub.url,
        `mutation($input: CaseEventInput!, $key: String!) { recordCaseEvent(input: $input, idempotencyKey: $key) { id status enforceable } }`,
        {
          input: { caseId, kind, occurredOn },
          key: idempotencyKey,
        },
        REPORTER,
      );
    const wardStats = async () =>
      (
        await gqlData(
          hub.url,
          `query($id: ID!) { unit(id: $id) { caseStats(period: { fromMonth: "2025-07", toMonth: "2025-12" }, asOf: "2025-12-31") { newlyReceived done enforceable byCategory { category newlyReceived } } } }`,
          { id: String(ward) },
        )
      ).unit.caseStats;
    const counts = async () =>
      (
        await admin.query(
          `SELECT (SELECT count(*) FROM cases.case_event)::int AS events, (SELECT count(*) FROM cases.outbox)::int AS outbox, (SELECT count(*) FROM finances.money_event)::int AS money`,
        )
      ).rows[0];

    it('receives, classifies and completes a case, and the rollup follows', async () => {
      const r = await receive(ward, '2025-08-01', key('r'));
      const id = r.data!.receiveCase.id;
      expect((await event(id, 'CLASSIFIED_ENFORCEABLE', '2025-08-02', key('c'))).data!.recordCaseEvent).toEqual({ id, status: 'OPEN', enforceable: true });
      expect((await event(id, 'COMPLETED', '2025-09-10', key('d'))).data!.recordCaseEvent.status).toBe('DONE');
      const stats = await wardStats();
      expect(stats).toMatchObject({ newlyReceived: 1, done: 1, enforceable: 1 });
      expect(stats.byCategory[0]).toEqual({ category: 'STATE_BUDGET', newlyReceived: 1 });
      const outbox = await admin.query(`SELECT unit_ids, kind FROM cases.outbox ORDER BY id DESC LIMIT 1`);
      expect(outbox.rows[0]).toEqual({ unit_ids: [ward], kind: 'case.changed' });
    });

    it('applies a retried mutation once, and refuses a key reused for another request', async () => {
      const k = key('retry');
      const before = await wardStats();
      const results = await Promise.all(Array.from({ length: 8 }, () => receive(ward, '2025-08-03', k)));
      const ids = new Set(results.map((r) => r.data?.receiveCase.id));
      expect(ids.size).toBe(1);
      expect((await wardStats()).newlyReceived).toBe(before.newlyReceived + 1);
      const reused = await receive(ward, '2025-08-04', k);
      expect(reused.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    });

    it('loses no update when many writers hit the same ward at once', async () => {
      const before = await wardStats();
      const received = await Promise.all(Array.from({ length: 40 }, (_v, i) => receive(ward, '2025-08-05', key(`conc${i}`))));
      const ids = received.map((r) => r.data!.receiveCase.id as string);
      await Promise.all(ids.map((id, i) => event(id, 'CLASSIFIED_ENFORCEABLE', '2025-08-06', key(`cl${i}`))));
      await Promise.all(ids.slice(0, 25).map((id, i) => event(id, 'COMPLETED', '2025-08-07', key(`dn${i}`))));
      const after = await wardStats();
      expect(after.newlyReceived - before.newlyReceived).toBe(40);
      expect(after.done - before.done).toBe(25);
      expect(after.enforceable - before.enforceable).toBe(40);
    }, 60000);

    it('refuses bad input with a stable code and writes nothing', async () => {
      const open = (await receive(ward, '2025-08-08', key('bad'))).data!.receiveCase.id;
      await event(open, 'WITHDRAWN', '2025-08-09', key('w'));
      const before = await counts();
      const bad: [Promise<{ errors?: { extensions?: Record<string, unknown> }[] }>, string, string?][] = [
        [receive(987654, '2025-08-01', key('b1')), 'UNIT_NOT_FOUND'],
        [receive(district, '2025-08-01', key('b2')), 'UNIT_NOT_VALID'],
        [receive(ward, '2025-06-01', key('b3')), 'UNIT_NOT_VALID'],
        [receive(1, '2025-08-01', key('b4')), 'UNIT_NOT_VALID'],
        [receive(ward, '2099-01-01', key('b5')), 'FUTURE_DATE'],
        [receive(ward, '2025-08-01', key('b6'), '   '), 'BAD_USER_INPUT'],
        [receive(ward, '2025-02-30', key('b7')), 'INVALID_DATE'],
        [receive(ward, '2025-08-01', 'short'), 'BAD_USER_INPUT'],
        [event(open, 'COMPLETED', '2025-08-10', key('b8')), 'BAD_USER_INPUT', 'IMPOSSIBLE_TRANSITION'],
        [event(open, 'CLASSIFIED_ENFORCEABLE', '2025-08-01', key('b9')), 'BAD_USER_INPUT'],
        [event('424242424', 'COMPLETED', '2025-08-10', key('b10')), 'CASE_NOT_FOUND'],
        [
          gql(
            hub.url,
            `mutation { receiveCaseMoney(caseId: "5", unitId: "${ward}", receivedOn: "2025-08-01", amount: "-5", idempotencyKey: "${key('m1')}") { amount } }`,
            undefined,
            REPORTER,
          ),
          'BAD_USER_INPUT',
        ],
        [
          gql(
            hub.url,
            `mutation { receiveCaseMoney(caseId: "5", unitId: "${ward}", receivedOn: "2025-08-01", amount: "12.50", idempotencyKey: "${key('m2')}") { amount } }`,
            undefined,
            REPORTER,
          ),
          'BAD_USER_INPUT',
        ],
        [
          gql(
            hub.url,
            `mutation { receiveCaseMoney(caseId: "5", unitId: "${ward}", receivedOn: "2025-08-01", amount: "1e9", idempotencyKey: "${key('m3')}") { amount } }`,
            undefined,
            REPORTER,
          ),
          'BAD_USER_INPUT',
        ],
        [
          gql(
            hub.url,
            `mutation { resolvePetition(petitionId: "77777", resolvedOn: "2025-08-01", idempotencyKey: "${key('p1')}") { id } }`,
            undefined,
            REPORTER,
          ),
          'PETITION_NOT_FOUND',
        ],
      ];
      for (const [pending, code, reason] of bad) {
        const res = await pending;
        expect(res.errors?.[0]?.extensions?.code).toBe(code);
        if (reason) expect(res.errors?.[0]?.extensions?.reason).toBe(reason);
      }
      expect(await counts()).toEqual(before);
    });

    it('refuses an import with one bad line and imports none of it', async () => {
      const before = await counts();
      const lines: EventLine[] = [
        { event: 'CASE_RECEIVED', caseId: '900001', unitId: String(ward), date: '2025-08-01', judgmentRef: '1/2025' },
        { event: 'CASE_CLASSIFIED_ENFORCEABLE', caseId: '900001', date: '2025-08-02' },
        { event: 'CASE_RECEIVED', caseId: '900002', unitId: String(ward), date: '2025-08-01', judgmentRef: '2/2025' },
        { event: 'CASE_COMPLETED', caseId: '900002', date: '2025-08-03' },
      ];
      writeFileSync(join(hub.importDir, 'bad.ndjson'), toNdjson(lines));
      const res = await gql(hub.url, `mutation { importCaseEvents(path: "bad.ndjson") { applied } }`, undefined, REPORTER);
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'IMPOSSIBLE_TRANSITION' });
      expect(res.errors?.[0]?.message).toMatch(/^Line 4: /);
      writeFileSync(join(hub.importDir, 'bad.csv'), 'event,caseId,unitId,date,amount\nMONEY_RECEIVED,900003,' + ward + ',2025-08-01,12.5\n');
      const csv = await gql(hub.url, `mutation { importMoneyEvents(path: "bad.csv") { applied } }`, undefined, REPORTER);
      expect(csv.errors?.[0]?.extensions).toMatchObject({ code: 'IMPORT_REJECTED', line: 2, field: 'amount' });
      const outside = await gql(hub.url, `mutation { importCaseEvents(path: "../../etc/passwd") { applied } }`, undefined, REPORTER);
      expect(outside.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(await counts()).toEqual(before);
    });

    it('imports a file once an idempotency key: a retry writes nothing again, another file under the key is refused', async () => {
      const citizens = async () =>
        (
          await gqlData(hub.url, `query($id: ID!) { unit(id: $id) { complaintStats(period: { year: 2025 }) { citizensReceived } } }`, {
            id: String(ward),
          })
        ).unit.complaintStats.citizensReceived as number;
      const IMPORT_ONCE = `mutation($path: String!, $key: String) { importComplaintEvents(path: $path, idempotencyKey: $key) { applied skipped milliseconds } }`;
      // Receptions have no natural key: without an idempotency key, a retry would count them twice.
      writeFileSync(
        join(hub.importDir, 'receptions.csv'),
        `event,unitId,date,citizens\nCITIZENS_RECEIVED,${ward},2025-08-05,7\nCITIZENS_RECEIVED,${ward},2025-08-06,5\n`,
      );
      const before = await citizens();
      const once = key('import');
      const first = await gqlData(hub.url, IMPORT_ONCE, { path: 'receptions.csv', key: once }, REPORTER);
      expect(first.importComplaintEvents).toMatchObject({ applied: 2, skipped: 0 });
      expect(await citizens()).toBe(before + 12);
      // The client lost the answer and sends the same request again: the first answer, nothing written.
      const retry = await gqlData(hub.url, IMPORT_ONCE, { path: 'receptions.csv', key: once }, REPORTER);
      expect(retry.importComplaintEvents).toEqual(first.importComplaintEvents);
      expect(await citizens()).toBe(before + 12);
      // The operator moved the imported file away meanwhile: the retry still gets the first answer.
      renameSync(join(hub.importDir, 'receptions.csv'), join(hub.importDir, 'receptions.done'));
      const late = await gqlData(hub.url, IMPORT_ONCE, { path: 'receptions.csv', key: once }, REPORTER);
      expect(late.importComplaintEvents).toEqual(first.importComplaintEvents);
      // The key with another name, missing too, is another request; without a key, a missing file is just missing.
      const elsewhere = await gql(hub.url, IMPORT_ONCE, { path: 'elsewhere.csv', key: once }, REPORTER);
      expect(elsewhere.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');
      const keyless = await gql(hub.url, IMPORT_ONCE, { path: 'receptions.csv' }, REPORTER);
      expect(keyless.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'FILE_NOT_FOUND' });
      expect(await citizens()).toBe(before + 12);
      // The same key with the file changed is another request.
      writeFileSync(join(hub.importDir, 'receptions.csv'), `event,unitId,date,citizens\nCITIZENS_RECEIVED,${ward},2025-08-05,9\n`);
      const reused = await gql(hub.url, IMPORT_ONCE, { path: 'receptions.csv', key: once }, REPORTER);
      expect(reused.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await citizens()).toBe(before + 12);
      // Each service keeps its own keys: finances' import of the file (none of its lines) is a request of its own.
      const other = await gql(
        hub.url,
        `mutation($path: String!, $key: String) { importMoneyEvents(path: $path, idempotencyKey: $key) { applied } }`,
        {
          path: 'receptions.csv',
          key: once,
        },
        REPORTER,
      );
      expect(other.data?.importMoneyEvents).toEqual({ applied: 0 });
      const bad = await gql(hub.url, IMPORT_ONCE, { path: 'receptions.csv', key: 'short' }, REPORTER);
      expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('ranks provinces with ties sharing a rank, and gives a unit its own position', async () => {
      const data = await gqlData(
        hub.url,
        `{
        caseRanking(period: { year: 2025 }, metric: DONE) { rank value unit { id name type } }
        moneyRanking(period: { year: 2025 }, metric: DONE) { rank value }
        complaintRanking(period: { year: 2025 }) { rank }
      }`,
      );
      const rows = data.caseRanking;
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r: { unit: { type: string; name: string } }) => r.unit.type === 'PROVINCE' && r.unit.name.startsWith('Tỉnh Mới'))).toBe(true);
      for (let i = 1; i < rows.length; i++) {
        const [a, b] = [rows[i - 1], rows[i]];
        expect(Number(a.value)).toBeGreaterThanOrEqual(Number(b.value));
        expect(b.rank).toBe(a.value === b.value ? a.rank : i + 1);
      }
      const own = await gqlData(hub.url, `query($id: ID!) { unit(id: $id) { caseRank(period: { year: 2025 }, metric: DONE) { rank of value } } }`, {
        id: rows[0].unit.id,
      });
      expect(own.unit.caseRank).toEqual({ rank: 1, of: rows.length, value: rows[0].value });
    });

    it('compares with targets and with the same period of the previous year', async () => {
      const province = (await gqlData(hub.url, `{ units(type: PROVINCE, asOf: "2025-09-30") { id } }`)).units[0].id;
      // 36.45 has two decimals as a person writes it, though 36.45 × 100 is not a whole number in floating point.
      const set = await gqlData(hub.url, `mutation($id: ID!) { setTarget(unitId: $id, year: 2025, caseRate: 80, moneyRate: 36.45) { caseRate moneyRate } }`, {
        id: province,
      });
      expect(set.setTarget).toEqual({ caseRate: 80, moneyRate: 36.45 });
      const tooFine = await gql(hub.url, `mutation($id: ID!) { setTarget(unitId: $id, year: 2025, caseRate: 80, moneyRate: 36.455) { caseRate } }`, {
        id: province,
      });
      expect(tooFine.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      const bad = await gql(hub.url, `mutation($id: ID!) { setTarget(unitId: $id, year: 2025, caseRate: 180, moneyRate: 45.5) { caseRate } }`, {
        id: province,
      });
      expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      const res = await gqlData(
        hub.url,
        `query($id: ID!) { unit(id: $id) { caseStats(period: { year: 2025 }) { done completionRate previousYear { done completionRate } change { done completionRate } target { rate unitTarget nationalTarget meetsUnitTarget achievementOfNationalTarget } } } }`,
        { id: province },
      );
      const s = res.unit.caseStats;
      expect(s.target).toMatchObject({ rate: s.completionRate, unitTarget: 80, nationalTarget: 83.9 });
      expect(s.change.done).toBe(s.done - s.previousYear.done);
      if (s.completionRate !== null) expect(s.target.achievementOfNationalTarget).toBeCloseTo((s.completionRate / 83.9) * 100, 1);
    });

    it('monitors administrative judgments: received with and without a decision, decided, completed', async () => {
      const admin = async () =>
        (
          await gqlData(
            hub.url,
            `query($id: ID!) { unit(id: $id) { adminMonitoring(period: { fromMonth: "2025-08", toMonth: "2025-09" }, asOf: "2025-09-30") { carriedOver newlyReceived total completed unfinished unfinishedWithDecision unfinishedWithoutDecision } } }`,
            { id: String(ward) },
          )
        ).unit.adminMonitoring;
      const monitor = (withDecision: boolean, k: string) =>
        gqlData(
          hub.url,
          `mutation($unit: ID!, $d: Boolean!, $k: String!) { monitorAdminJudgment(unitId: $unit, receivedOn: "2025-08-11", judgmentRef: "5/2025/HC-ST", withDecision: $d, idempotencyKey: $k) { id } }`,
          { unit: String(ward), d: withDecision, k },
          REPORTER,
        );
      const before = await admin();
      const a = (await monitor(true, key('a1'))).monitorAdminJudgment.id;
      const b = (await monitor(false, key('a2'))).monitorAdminJudgment.id;
      const c = (await monitor(false, key('a3'))).monitorAdminJudgment.id;
      await gqlData(
        hub.url,
        `mutation($j: ID!, $k: String!) { issueMonitoringDecision(judgmentId: $j, on: "2025-08-20", idempotencyKey: $k) { id } }`,
        { j: b, k: key('a4') },
        REPORTER,
      );
      for (const [j, on] of [
        [a, '2025-09-02'],
        [c, '2025-09-03'],
      ]) {
        await gqlData(
          hub.url,
          `mutation($j: ID!, $on: Date!, $k: String!) { completeAdminJudgment(judgmentId: $j, on: $on, idempotencyKey: $k) { id } }`,
          { j, on, k: key('a5') },
          REPORTER,
        );
      }
      const after = await admin();
      expect({
        received: after.newlyReceived - before.newlyReceived,
        completed: after.completed - before.completed,
        open: after.unfinished - before.unfinished,
        decided: after.unfinishedWithDecision - before.unfinishedWithDecision,
      }).toEqual({ received: 3, completed: 2, open: 1, decided: 1 });
      await expectVerified();
    });

    it('refuses events in a closed period (closing last: it holds for the rest of this database)', async () => {
      const calendar = `{ reportingCalendar { closedThrough } }`;
      expect((await gqlData(hub.url, calendar)).reportingCalendar.closedThrough).toBeNull(); // and now kept by the gateway
      // A write under way (its transaction has read the calendar, as a writer's checks do): the close waits for its commit.
      const writer = new Client({ connectionString: db });
      await writer.connect();
      await writer.query('BEGIN');
      await writer.query('SELECT max(closed_through) FROM org_units.reporting_close');
      let settled = false;
      const closing = gqlData(hub.url, `mutation { closeReportingPeriod(through: "2025-08-31") { closedThrough } }`).finally(() => (settled = true));
      await new Promise((r) => setTimeout(r, 500));
      expect(settled).toBe(false);
      await writer.query('COMMIT');
      await writer.end();
      const closed = await closing;
      expect(closed.closeReportingPeriod.closedThrough).toBe('2025-08-31');
      // The closer's next read through the gateway has the new calendar.
      expect((await gqlData(hub.url, calendar)).reportingCalendar.closedThrough).toBe('2025-08-31');
      const back = await gql(hub.url, `mutation { closeReportingPeriod(through: "2025-07-31") { closedThrough } }`);
      expect(back.errors?.[0]?.extensions?.code).toBe('INVALID_PERIOD');
      const res = await receive(ward, '2025-08-15', key('closed'));
      expect(res.errors?.[0]?.extensions?.code).toBe('PERIOD_CLOSED');
      expect((await receive(ward, '2025-09-01', key('open'))).data?.receiveCase.status).toBe('OPEN');
    });

    it('leaves every maintained rollup equal to a recomputation from the raw facts after all these writes', async () => {
      await expectVerified();
    });
  });
});
