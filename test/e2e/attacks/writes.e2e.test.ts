import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse, visit, type TypeNode } from 'graphql';
import { Client } from 'pg';
import { FAMILIES, todayInVietnam } from '@thads/kit';
import { bearer, token } from '../../support/auth';
import { gql, type GraphQLResponse } from '../../support/graphql-client';
import { freePortRange, startHubProcess, type HubProcess } from '../../support/hub-process';
import { ROOT } from '../../support/pg-server';
import { createTestDatabase, dropTestDatabase } from '../../support/test-db';

/**
 * The write attacks of a caller with valid low-privilege credentials (a province's reporter)
 * against a hub started with --secure: another province's records probed through failed
 * writes and imports, another caller's idempotency key replayed, amounts past any real
 * judgment. Each is refused with a stable code, tells nothing of the foreign record, writes
 * nothing, and the hub keeps serving.
 */

type Res = GraphQLResponse<Record<string, any>> & { status: number };
type GqlError = NonNullable<GraphQLResponse['errors']>[number];

/** Codes a client may see: every error carries one of them. */
const STABLE = new Set([
  'BAD_USER_INPUT',
  'INVALID_DATE',
  'UNIT_NOT_FOUND',
  'CASE_NOT_FOUND',
  'PETITION_NOT_FOUND',
  'UNIT_NOT_VALID',
  'FUTURE_DATE',
  'PERIOD_CLOSED',
  'IDEMPOTENCY_KEY_REUSED',
  'IMPORT_REJECTED',
  'FORBIDDEN',
]);
const IMPORT_DIR = join(ROOT, '.data', 'imports');
const TEN_15 = 10n ** 15n;

const errorOf = (res: Res): GqlError => {
  expect(res.errors?.length).toBeGreaterThan(0);
  for (const e of res.errors!) expect(STABLE.has(String(e.extensions?.code))).toBe(true);
  return res.errors![0]!;
};

/** An error with one id replaced by a placeholder, to compare the answers for two ids. */
function shapeOf(res: Res, id: string) {
  const e = errorOf(res);
  const extensions = Object.fromEntries(Object.entries(e.extensions ?? {}).map(([k, v]) => [k, v === id ? '<id>' : v]));
  return { message: e.message.split(id).join('<id>'), extensions, data: res.data ?? null };
}

describe('attacks on the writes of a secure hub', () => {
  let db: string;
  let hub: HubProcess;
  let pg: Client;
  let today: string;
  let mine: { province: number; ward: number };
  let other: { province: number; ward: number };
  let attacker: Record<string, string>;
  const files: string[] = [];

  const ask = (query: string, headers: Record<string, string>, variables?: Record<string, unknown>) => gql(hub.url, query, variables, headers) as Promise<Res>;
  const key = (label: string) => `atk-${label}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const one = async <T>(sql: string, params: unknown[] = []): Promise<T> => (await pg.query(sql, params)).rows[0] as T;
  const counts = () =>
    one<Record<string, number>>(
      `SELECT (SELECT count(*) FROM cases.enforcement_case)::int AS cases, (SELECT count(*) FROM cases.case_event)::int AS case_events,
              (SELECT count(*) FROM finances.case_money)::int AS money, (SELECT count(*) FROM finances.money_event)::int AS money_events,
              (SELECT count(*) FROM complaints.petition)::int AS petitions, (SELECT count(*) FROM complaints.petition WHERE resolved_on IS NOT NULL)::int AS resolved,
              (SELECT count(*) FROM cases.idempotency)::int AS keys`,
    );
  const nationMoney = async (): Promise<bigint> => {
    const month = today.slice(0, 7);
    const res = await ask(`{ unit(id: "1") { moneyStats(period: { fromMonth: "${month}", toMonth: "${month}" }) { newlyReceived } } }`, bearer('ministry'));
    expect(res.errors).toBeUndefined();
    return BigInt(res.data!.unit.moneyStats.newlyReceived as string);
  };
  const importFile = (name: string, lines: Record<string, unknown>[]) => {
    mkdirSync(IMPORT_DIR, { recursive: true });
    const file = `${name}-${process.pid}-${Date.now()}.ndjson`;
    writeFileSync(join(IMPORT_DIR, file), lines.map((l) => JSON.stringify(l)).join('\n'));
    files.push(file);
    return file;
  };
  /** Where a unit's records lie outside a province: no rollup edge leads from it to the province. */
  const outside = (alias: string) =>
    `NOT EXISTS (SELECT 1 FROM org_units.rollup_edge e WHERE e.descendant_id = ${alias}.unit_id AND e.ancestor_id = $1) AND ${alias}.unit_id <> $1`;

  beforeAll(async () => {
    db = await createTestDatabase('attack_writes');
    hub = await startHubProcess(db, await freePortRange(5), ['--cases', '600', '--secure']);
    pg = new Client({ connectionString: db });
    await pg.connect();
    today = todayInVietnam();
    const place = async (code: string) => {
      const { id } = await one<{ id: number }>(`SELECT id FROM org_units.org_unit WHERE code = $1 AND type = 'PROVINCE' AND valid_to IS NULL`, [code]);
      const ward = await one<{ id: number }>(`SELECT id FROM org_units.org_unit WHERE parent_id = $1 AND valid_to IS NULL ORDER BY id LIMIT 1`, [id]);
      return { province: id, ward: ward.id };
    };
    mine = await place('tuyen-quang');
    other = await place('ha-noi');
    attacker = bearer('reporter', [mine.province]);
  }, 240000);

  afterAll(async () => {
    for (const f of files) rmSync(join(IMPORT_DIR, f), { force: true });
    await pg?.end();
    await hub?.stop();
    if (db) await dropTestDatabase(db);
  });

  it('answers an event on another province’s case exactly as on a missing id, without its status or last change', async () => {
    const foreign = await one<{ id: string; status: string; status_on: string; before: string }>(
      `SELECT c.id::text, c.status, c.status_on::text, (c.status_on - 1)::text AS before FROM cases.enforcement_case c WHERE ${outside('c')} ORDER BY c.id LIMIT 1`,
      [mine.province],
    );
    const missing = String(BigInt((await one<{ max: string }>(`SELECT max(id)::text AS max FROM cases.enforcement_case`)).max) + 1000n);
    const before = await counts();
    const event = (id: string, kind: string, date: string) =>
      ask(
        `mutation($id: ID!, $k: CaseEventKind!, $d: Date!, $key: String!) { recordCaseEvent(input: { caseId: $id, kind: $k, occurredOn: $d }, idempotencyKey: $key) { id status } }`,
        attacker,
        {
          id,
          k: kind,
          d: date,
          key: key('ev'),
        },
      );
    // Dated before its last change (was OUT_OF_ORDER with the date), impossible (was IMPOSSIBLE_TRANSITION with the status), and plausible.
    for (const [kind, date] of [
      ['COMPLETED', foreign.before],
      ['RESUMED', today],
      ['CLASSIFIED_ENFORCEABLE', today],
    ] as const) {
      const onForeign = await event(foreign.id, kind, date);
      const onMissing = await event(missing, kind, date);
      expect(errorOf(onForeign).extensions?.code).toBe('CASE_NOT_FOUND');
      expect(shapeOf(onForeign, foreign.id)).toEqual(shapeOf(onMissing, missing));
      const text = JSON.stringify(onForeign.errors);
      expect(text).not.toContain(foreign.status_on);
      expect(text).not.toContain(foreign.status);
      expect(text).not.toContain('unitId');
    }
    // A non-numeric or oversized id is a missing case too, never an internal error.
    for (const id of ['abc', '99999999999999999999999']) expect(errorOf(await event(id, 'COMPLETED', today)).extensions?.code).toBe('CASE_NOT_FOUND');
    expect(await counts()).toEqual(before);
  });

  it('answers a collection or money event on another province’s case as on a case with no money, without what remains', async () => {
    const foreign = await one<{ id: string; remaining: string; amount: string }>(
      `SELECT m.case_id::text AS id, m.remaining::text, m.amount::text FROM finances.case_money m WHERE m.open AND m.remaining > 0 AND ${outside('m')} ORDER BY m.case_id LIMIT 1`,
      [mine.province],
    );
    const missing = String(BigInt((await one<{ max: string }>(`SELECT max(case_id)::text AS max FROM finances.case_money`)).max) + 1000n);
    const before = await counts();
    const collect = (id: string, amount: string) =>
      ask(
        `mutation($id: ID!, $a: VND!, $d: Date!, $key: String!) { recordCollection(caseId: $id, collectedOn: $d, amount: $a, idempotencyKey: $key) { remaining } }`,
        attacker,
        {
          id,
          a: amount,
          d: today,
          key: key('col'),
        },
      );
    const over = String(BigInt(foreign.remaining) + 1n); // was OVER_COLLECTION, quoting what remains
    for (const amount of [over, '1']) {
      const onForeign = await collect(foreign.id, amount);
      expect(errorOf(onForeign).extensions?.code).toBe('CASE_NOT_FOUND');
      expect(shapeOf(onForeign, foreign.id)).toEqual(shapeOf(await collect(missing, amount), missing));
      expect(JSON.stringify(onForeign.errors)).not.toContain(foreign.remaining);
    }
    const moneyEvent = (id: string) =>
      ask(
        `mutation($id: ID!, $d: Date!, $key: String!) { recordMoneyEvent(caseId: $id, kind: WITHDRAWN, occurredOn: $d, idempotencyKey: $key) { remaining } }`,
        attacker,
        {
          id,
          d: today,
          key: key('mev'),
        },
      );
    expect(shapeOf(await moneyEvent(foreign.id), foreign.id)).toEqual(shapeOf(await moneyEvent(missing), missing));
    expect(errorOf(await moneyEvent('not-a-case')).extensions?.code).toBe('CASE_NOT_FOUND');
    expect(await counts()).toEqual(before);
  });

  it('answers a resolution of another province’s petition as of a missing one, without its resolution date', async () => {
    const foreign = await one<{ id: string; resolved_on: string }>(
      `SELECT p.id::text, p.resolved_on::text FROM complaints.petition p WHERE p.resolved_on IS NOT NULL AND ${outside('p')} ORDER BY p.id LIMIT 1`,
      [mine.province],
    );
    const missing = String(BigInt((await one<{ max: string }>(`SELECT max(id)::text AS max FROM complaints.petition`)).max) + 1000n);
    const before = await counts();
    const resolve = (id: string) =>
      ask(`mutation($id: ID!, $d: Date!, $key: String!) { resolvePetition(petitionId: $id, resolvedOn: $d, idempotencyKey: $key) { id } }`, attacker, {
        id,
        d: today,
        key: key('res'),
      });
    const onForeign = await resolve(foreign.id);
    expect(errorOf(onForeign).extensions?.code).toBe('PETITION_NOT_FOUND');
    expect(shapeOf(onForeign, foreign.id)).toEqual(shapeOf(await resolve(missing), missing));
    expect(JSON.stringify(onForeign.errors)).not.toContain(foreign.resolved_on);
    expect(await counts()).toEqual(before);
  });

  it('answers a step on another province’s monitored administrative judgment as on a missing one', async () => {
    const hanoi = { authorization: `Bearer ${token('reporter', [other.province], FAMILIES, 600, 'reporter-ha-noi-admin')}` };
    const monitored = await ask(
      `mutation { monitorAdminJudgment(unitId: "${other.ward}", receivedOn: "${today}", judgmentRef: "HC/1", withDecision: true, idempotencyKey: "${key('adm')}") { id } }`,
      hanoi,
    );
    expect(monitored.errors).toBeUndefined();
    const id = monitored.data!.monitorAdminJudgment.id as string;
    const missing = String(BigInt(id) + 1000n);
    const before = await one<{ n: string }>(`SELECT count(*)::text AS n FROM cases.admin_judgment WHERE decision_on IS NOT NULL OR completed_on IS NOT NULL`);
    for (const mutation of ['issueMonitoringDecision', 'completeAdminJudgment']) {
      const step = (judgmentId: string) =>
        ask(`mutation { ${mutation}(judgmentId: "${judgmentId}", on: "${today}", idempotencyKey: "${key('step')}") { id } }`, attacker);
      const onForeign = await step(id);
      expect(errorOf(onForeign).extensions?.code).toBe('CASE_NOT_FOUND');
      expect(shapeOf(onForeign, id)).toEqual(shapeOf(await step(missing), missing));
      expect(JSON.stringify(onForeign.errors)).not.toContain(today);
    }
    expect(await one(`SELECT count(*)::text AS n FROM cases.admin_judgment WHERE decision_on IS NOT NULL OR completed_on IS NOT NULL`)).toEqual(before);
  });

  it('gives imports the same answers: a foreign record is a missing one, line by line', async () => {
    const caseId = (
      await one<{ id: string }>(`SELECT c.id::text FROM cases.enforcement_case c WHERE ${outside('c')} ORDER BY c.id DESC LIMIT 1`, [mine.province])
    ).id;
    const moneyId = (
      await one<{ id: string }>(`SELECT m.case_id::text AS id FROM finances.case_money m WHERE m.open AND ${outside('m')} ORDER BY m.case_id DESC LIMIT 1`, [
        mine.province,
      ])
    ).id;
    const petitionId = (
      await one<{ id: string }>(`SELECT p.id::text FROM complaints.petition p WHERE p.resolved_on IS NOT NULL AND ${outside('p')} ORDER BY p.id DESC LIMIT 1`, [
        mine.province,
      ])
    ).id;
    const missing = '987654321987';
    const before = await counts();
    const cases = [
      ['importCaseEvents', { event: 'CASE_COMPLETED', date: '2000-01-01' }, 'caseId', caseId, 'CASE_NOT_FOUND'],
      ['importMoneyEvents', { event: 'MONEY_COLLECTED', date: today, amount: '999999999999999' }, 'caseId', moneyId, 'CASE_NOT_FOUND'],
      ['importComplaintEvents', { event: 'PETITION_RESOLVED', date: today }, 'petitionId', petitionId, 'PETITION_NOT_FOUND'],
    ] as const;
    for (const [mutation, line, idField, foreignId, code] of cases) {
      const run = (id: string) => ask(`mutation { ${mutation}(path: "${importFile('probe', [{ ...line, [idField]: id }])}") { applied } }`, attacker);
      const onForeign = await run(foreignId);
      expect(errorOf(onForeign).extensions).toMatchObject({ code, line: 1 });
      expect(shapeOf(onForeign, foreignId)).toEqual(shapeOf(await run(missing), missing));
    }
    // A receipt at another province's unit, and at a unit that does not exist: the same refusal.
    const receiveAt = (unitId: number) =>
      ask(
        `mutation { importCaseEvents(path: "${importFile('unit', [{ event: 'CASE_RECEIVED', caseId: '9500000001', unitId: String(unitId), date: '2099-01-01', judgmentRef: 'X/1' }])}") { applied } }`,
        attacker,
      );
    expect(shapeOf(await receiveAt(other.ward), String(other.ward))).toEqual(shapeOf(await receiveAt(2000000000), '2000000000'));
    expect(await counts()).toEqual(before);
  });

  it('refuses a receipt at another province’s unit before any unit or date check, as at a unit that does not exist', async () => {
    const before = await counts();
    const receive = (unitId: string, date: string) =>
      ask(
        `mutation($u: ID!, $d: Date!, $key: String!) { receiveCase(input: { unitId: $u, receivedOn: $d, judgmentRef: "1/2026" }, idempotencyKey: $key) { id } }`,
        attacker,
        { u: unitId, d: date, key: key('rcv') },
      );
    for (const date of [today, '2099-01-01', '1990-01-01']) {
      const foreign = await receive(String(other.ward), date);
      expect(errorOf(foreign).extensions?.code).toBe('FORBIDDEN');
      expect(shapeOf(foreign, String(other.ward))).toEqual(shapeOf(await receive('1999999999', date), '1999999999'));
    }
    const petition = await ask(
      `mutation { receivePetition(unitId: "${other.ward}", kind: COMPLAINT, receivedOn: "${today}", idempotencyKey: "${key('pet')}") { id } }`,
      attacker,
    );
    expect(errorOf(petition).extensions?.code).toBe('FORBIDDEN');
    const money = await ask(
      `mutation { receiveCaseMoney(caseId: "9100000001", unitId: "${other.ward}", receivedOn: "${today}", amount: "1000", idempotencyKey: "${key('mon')}") { caseId } }`,
      attacker,
    );
    expect(errorOf(money).extensions?.code).toBe('FORBIDDEN');
    expect(await counts()).toEqual(before);
  });

  it('scopes idempotency keys to their caller: a replayed key neither returns another caller’s result nor collides with it', async () => {
    const hanoi = token('reporter', [other.province], FAMILIES, 600, 'reporter-ha-noi-1');
    const hanoiColleague = token('reporter', [other.province], FAMILIES, 600, 'reporter-ha-noi-2');
    const shared = key('shared');
    const receive = (headers: Record<string, string>, unitId: number, ref: string) =>
      ask(
        `mutation($u: ID!, $d: Date!, $ref: String!, $key: String!) { receiveCase(input: { unitId: $u, receivedOn: $d, judgmentRef: $ref }, idempotencyKey: $key) { id } }`,
        headers,
        { u: String(unitId), d: today, ref, key: shared },
      );
    const first = await receive({ authorization: `Bearer ${hanoi}` }, other.ward, 'HN/1');
    expect(first.errors).toBeUndefined();
    const id = first.data!.receiveCase.id as string;
    expect((await receive({ authorization: `Bearer ${hanoi}` }, other.ward, 'HN/1')).data?.receiveCase.id).toBe(id); // a retry still works

    const before = await counts();
    const replayed = await receive(attacker, other.ward, 'HN/1');
    expect(errorOf(replayed).extensions?.code).toBe('FORBIDDEN');
    expect(JSON.stringify(replayed)).not.toContain(`"${id}"`);
    expect(await counts()).toEqual(before);

    const colleague = await receive({ authorization: `Bearer ${hanoiColleague}` }, other.ward, 'HN/1');
    expect(colleague.errors).toBeUndefined();
    expect(colleague.data!.receiveCase.id).not.toBe(id);
    const own = await receive(attacker, mine.ward, 'TQ/1');
    expect(own.errors).toBeUndefined();
    expect(own.data!.receiveCase.id).not.toBe(id);
  });

  it('bounds one money event: beyond the ceiling, negative, fractional or absurdly long amounts are BAD_USER_INPUT naming the field, and nothing is written', async () => {
    const nationBefore = await nationMoney();
    const before = await counts();
    let next = 9200000000;
    const receive = (amount: string) =>
      ask(
        `mutation($id: ID!, $u: ID!, $d: Date!, $a: VND!, $key: String!) { receiveCaseMoney(caseId: $id, unitId: $u, receivedOn: $d, amount: $a, idempotencyKey: $key) { caseId amount } }`,
        attacker,
        { id: String(next++), u: String(mine.ward), d: today, a: amount, key: key('amt') },
      );
    const refused = ['5000000000000000000', String(TEN_15 + 1n), '1'.repeat(40), '9'.repeat(5000), '-5', '12.5', '1e9', ''];
    for (const amount of refused) {
      const res = await receive(amount);
      expect({ amount: amount.slice(0, 50), ...errorOf(res).extensions }).toMatchObject({
        amount: amount.slice(0, 50),
        code: 'BAD_USER_INPUT',
        field: 'amount',
      });
    }
    // The same amounts written into the query text.
    for (const literal of ['"5000000000000000000"', '12.5', '"abc"']) {
      const res = await ask(
        `mutation { receiveCaseMoney(caseId: "${next++}", unitId: "${mine.ward}", receivedOn: "${today}", amount: ${literal}, idempotencyKey: "${key('lit')}") { caseId } }`,
        attacker,
      );
      expect(errorOf(res).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'amount' });
    }
    const collection = await ask(
      `mutation { recordCollection(caseId: "1", collectedOn: "${today}", amount: "${'1'.repeat(40)}", idempotencyKey: "${key('col')}") { remaining } }`,
      attacker,
    );
    expect(errorOf(collection).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'amount' });
    expect(await counts()).toEqual(before);
    expect(await nationMoney()).toBe(nationBefore);

    // At the ceiling: accepted.
    const atCeiling = await receive(String(TEN_15));
    expect(atCeiling.errors).toBeUndefined();
    expect(atCeiling.data!.receiveCaseMoney.amount).toBe(String(TEN_15));
    expect(await nationMoney()).toBe(nationBefore + TEN_15);
  });

  it('bounds the amounts of an import alike, and nothing of a refused import is written', async () => {
    const before = await counts();
    const nationBefore = await nationMoney();
    for (const amount of [String(TEN_15 + 1n), '1'.repeat(40), '5000000000000000000']) {
      const file = importFile('amount', [
        { event: 'MONEY_RECEIVED', caseId: '9300000001', unitId: String(mine.ward), date: today, amount: '1000' },
        { event: 'MONEY_RECEIVED', caseId: '9300000002', unitId: String(mine.ward), date: today, amount },
      ]);
      const res = await ask(`mutation { importMoneyEvents(path: "${file}") { applied } }`, attacker);
      expect(errorOf(res).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'amount', line: 2 });
    }
    expect(await counts()).toEqual(before);
    expect(await nationMoney()).toBe(nationBefore);
  });

  it('keeps the aggregates exact past any bigint: 10,000 events at the ceiling in one ward and month, then more writes there', async () => {
    const nationBefore = await nationMoney();
    const lines = Array.from({ length: 10000 }, (_v, i) => ({
      event: 'MONEY_RECEIVED',
      caseId: String(9400000000 + i),
      unitId: String(mine.ward),
      date: today,
      amount: String(TEN_15),
    }));
    const imported = await ask(`mutation { importMoneyEvents(path: "${importFile('ceiling', lines)}") { applied } }`, attacker);
    expect(imported.errors).toBeUndefined();
    expect(imported.data!.importMoneyEvents.applied).toBe(10000);
    const total = 10000n * TEN_15; // 10^19, past the largest bigint (9.22 × 10^18)
    expect(await nationMoney()).toBe(nationBefore + total);
    const later = await ask(
      `mutation { receiveCaseMoney(caseId: "9499999999", unitId: "${mine.ward}", receivedOn: "${today}", amount: "${TEN_15}", idempotencyKey: "${key('later')}") { amount } }`,
      attacker,
    );
    expect(later.errors).toBeUndefined();
    const collected = await ask(
      `mutation { recordCollection(caseId: "9400000000", collectedOn: "${today}", amount: "${TEN_15}", idempotencyKey: "${key('collect')}") { remaining } }`,
      attacker,
    );
    expect(collected.errors).toBeUndefined();
    expect(collected.data!.recordCollection.remaining).toBe('0');
    expect(await nationMoney()).toBe(nationBefore + total + TEN_15);
  }, 120000);

  it('keeps serving every caller after the attacks', async () => {
    const res = await ask(
      `{ unit(id: "${mine.province}") { name caseStats(period: { fromMonth: "${today.slice(0, 7)}", toMonth: "${today.slice(0, 7)}" }) { newlyReceived } } }`,
      attacker,
    );
    expect(res.errors).toBeUndefined();
    const write = await ask(
      `mutation { receiveCase(input: { unitId: "${mine.ward}", receivedOn: "${today}", judgmentRef: "OK/1" }, idempotencyKey: "${key('ok')}") { id } }`,
      attacker,
    );
    expect(write.errors).toBeUndefined();
  });

  it('has every VND input named `amount`, as the scalar’s refusals say', () => {
    const sdl = readFileSync(join(ROOT, 'schema', 'supergraph.graphql'), 'utf8');
    const named = (t: TypeNode): string => (t.kind === Kind.NAMED_TYPE ? t.name.value : named(t.type));
    const vndInputs: string[] = [];
    visit(parse(sdl), {
      InputValueDefinition(node) {
        if (named(node.type) === 'VND') vndInputs.push(node.name.value);
      },
    });
    expect(vndInputs.length).toBeGreaterThan(0);
    expect(new Set(vndInputs)).toEqual(new Set(['amount']));
  });
});
