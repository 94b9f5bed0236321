import ExcelJS from 'exceljs';
import { bearer } from '../support/auth';
import { gql, gqlData } from '../support/graphql-client';
import { migrateAll, startInProcessHub, type InProcessHub } from '../support/in-process-hub';
import { demoCases, leavesOf, seedTestCases, seedTestComplaints, seedTestMoney, seedTestUnits } from '../support/seeded-db';
import { createTestDatabase, dropTestDatabase } from '../support/test-db';

const MINISTRY = bearer('ministry');
/** The test seed's last statistical year (its events end on 2025-09-30), on the hierarchy after the 2025 reorganization. */
const PERIOD = { year: 2025 };

interface Form {
  form: number;
  unitName: string;
  columns: { key: string; label: string; kind: string }[];
  rows: { kind: string; unitId: string; label: string; values: (string | null)[] }[];
}

const FORM = (field: string) => `query($id: ID!, $p: PeriodInput!) { f: ${field}(unitId: $id, period: $p) {
  form unitName columns { key label kind } rows { kind unitId label values } } }`;

/** A unit and its children with the figures the forms show, straight from the stats fields. */
const STATS = `query($id: ID!, $p: PeriodInput!) { unit(id: $id) { id name
  caseStats(period: $p) { ...C } moneyStats(period: $p) { ...M } complaintStats(period: $p) { ...P }
  children { id name caseStats(period: $p) { ...C } moneyStats(period: $p) { ...M } complaintStats(period: $p) { ...P } } } }
  fragment C on CaseStats { carriedOver newlyReceived totalHandled entrustedOut withdrawn separateBook toEnforce enforceable notEnforceable done completed terminated carriedToNext completionRate enforceableShare }
  fragment M on MoneyStats { carriedOver newlyReceived totalHandled entrustedOut withdrawn separateBook toEnforce enforceable notEnforceable done collected stateBudgetCollected carriedToNext completionRate enforceableShare }
  fragment P on ComplaintStats { receptions citizensReceived carriedOver newlyReceived toResolve resolved pending resolutionRate byKind { kind toResolve resolved } }`;

type Figures = Record<string, unknown>;

/** What a form's cell must be for a stats answer: the same figure, written as the form writes it. */
function expectedCell(key: string, kind: string, stats: Figures): string | null {
  const byKind = /^(complaint|denunciation|request|recommendation)(ToResolve|Resolved)$/.exec(key);
  let value: unknown;
  if (byKind) {
    const row = (stats.byKind as { kind: string; toResolve: number; resolved: number }[]).find((k) => k.kind === byKind[1]!.toUpperCase());
    value = row ? (byKind[2] === 'ToResolve' ? row.toResolve : row.resolved) : 0;
  } else if (key === 'enforceableNotDone') value = (BigInt(stats.enforceable as string) - BigInt(stats.done as string)).toString();
  else value = stats[key];
  if (value === null || value === undefined) return null;
  return kind === 'RATE' ? (value as number).toFixed(2) : String(value);
}

/**
 * The official forms 1, 2 and 8 through the gateway, and their CSV and XLSX downloads: every
 * cell equals the unit's (or its child's) figures from the stats fields, the unit's own row is
 * what its children leave out, the rows follow Vietnamese order, a download holds the same
 * cells, and a province's token cannot fill or download another province's form.
 */
describe('report forms and their exports', () => {
  let db: string;
  let hub: InProcessHub;
  let province: number;
  let otherProvince: number;
  let origin: string;

  beforeAll(async () => {
    db = await createTestDatabase('report_forms');
    await migrateAll(db);
    const { units } = await seedTestUnits(db);
    const leaves = leavesOf(units);
    const cases = demoCases(leaves, 1200, 'forms');
    await seedTestCases(db, cases);
    await seedTestMoney(db, cases);
    await seedTestComplaints(db, leaves, 8000, 'forms');
    hub = await startInProcessHub(db);
    origin = new URL(hub.url).origin;
    const provinces = units.filter((u) => u.type === 'PROVINCE' && u.validTo === null).map((u) => u.id);
    province = provinces[0]!;
    otherProvince = provinces[1]!;
  }, 180000);

  afterAll(async () => {
    await hub?.stop();
    if (db) await dropTestDatabase(db);
  });

  const families: [string, string, string][] = [
    ['caseReportForm', 'caseStats', 'form 1'],
    ['moneyReportForm', 'moneyStats', 'form 2'],
    ['complaintReportForm', 'complaintStats', 'form 8'],
  ];

  it.each(families)('%s: every cell equals the stats of the unit and of each unit under it', async (field, statsField) => {
    for (const id of ['1', String(province)]) {
      const { f } = await gqlData<{ f: Form }>(hub.url, FORM(field), { id, p: PERIOD }, MINISTRY);
      const { unit } = await gqlData<{ unit: Figures & { name: string; children: (Figures & { id: string; name: string })[] } }>(
        hub.url,
        STATS,
        { id, p: PERIOD },
        MINISTRY,
      );
      expect(f.unitName).toBe(unit.name);
      const [total, own, ...subordinates] = f.rows;
      expect([total!.kind, own!.kind, ...subordinates.map((r) => r.kind)]).toEqual(['TOTAL', 'OWN', ...unit.children.map(() => 'SUBORDINATE')]);
      const cells = (stats: Figures) => f.columns.map((c) => expectedCell(c.key, c.kind, stats));
      expect(total!.values).toEqual(cells(unit[statsField] as Figures));
      // Real figures, not a form of zeros.
      expect(total!.values.filter((v) => v !== null && v !== '0' && v !== '0.00').length).toBeGreaterThan(3);
      expect(subordinates.length).toBeGreaterThan(0);
      const children = new Map(unit.children.map((c) => [c.id, c]));
      for (const row of subordinates)
        expect({ unit: row.unitId, values: row.values }).toEqual({ unit: row.unitId, values: cells(children.get(row.unitId)![statsField] as Figures) });
      // The subordinate units in Vietnamese alphabetical order, as the forms list them.
      const names = subordinates.map((r) => r.label);
      expect(names).toEqual([...names].sort(new Intl.Collator('vi').compare));
      expect(names.length).toBe(unit.children.length);
      // The unit's own row: the total less its subordinate units, for every whole-number column.
      f.columns.forEach((c, i) => {
        if (c.kind === 'RATE') return;
        const rest = BigInt(total!.values[i]!) - subordinates.reduce((sum, r) => sum + BigInt(r.values[i]!), 0n);
        expect({ column: c.key, own: own!.values[i] }).toEqual({ column: c.key, own: rest.toString() });
      });
    }
  });

  it('downloads form 2 as CSV and XLSX holding the same exact cells, with Vietnamese headers', async () => {
    const { f } = await gqlData<{ f: Form }>(hub.url, FORM('moneyReportForm'), { id: '1', p: PERIOD }, MINISTRY);
    const csv = await fetch(`${origin}/export/form?form=2&unit=1&year=${PERIOD.year}&format=csv`, { headers: MINISTRY });
    expect([csv.status, csv.headers.get('content-type')]).toEqual([200, 'text/csv; charset=utf-8']);
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="bieu-2-[a-z0-9-]+\.csv"$/);
    const text = (await csv.text()).replace(/^\ufeff/, '');
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toContain('Biểu số 2');
    expect(lines[1]).toContain('Năm trước chuyển sang');
    expect(lines).toHaveLength(2 + f.rows.length);
    // Rates with a decimal comma (quoted), integers as the API wrote them.
    const parse = (line: string) => [...line.matchAll(/("([^"]*)"|[^,]*)(,|$)/g)].map((m) => m[2] ?? m[1]!).slice(0, f.columns.length + 1);
    f.rows.forEach((row, i) => {
      const expected = [row.label, ...row.values.map((v, j) => (v === null ? '' : f.columns[j]!.kind === 'RATE' ? v.replace('.', ',') : v))];
      expect(parse(lines[2 + i]!)).toEqual(expected);
    });

    const xlsx = await fetch(`${origin}/export/form?form=2&unit=1&year=${PERIOD.year}&format=xlsx`, { headers: MINISTRY });
    expect(xlsx.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(2).getCell(2).value).toBe('Năm trước chuyển sang');
    f.rows.forEach((row, i) => {
      const cells = (sheet.getRow(3 + i).values as unknown[]).slice(1);
      expect(cells[0]).toBe(row.label);
      row.values.forEach((v, j) => {
        const cell = cells[j + 1];
        if (v === null) expect(cell ?? null).toBeNull();
        else
          expect({ column: f.columns[j]!.key, value: String(typeof cell === 'number' && f.columns[j]!.kind === 'RATE' ? cell.toFixed(2) : cell) }).toEqual({
            column: f.columns[j]!.key,
            value: v,
          });
      });
    });
  });

  it('downloads the national ranking the dashboard shows, rank by rank as the API ranks', async () => {
    const { caseRanking } = await gqlData<{
      caseRanking: { rank: number; unit: { name: string }; figures: { done: number; completionRate: number | null } }[];
    }>(hub.url, `query($p: PeriodInput!) { caseRanking(period: $p) { rank unit { name } figures { done completionRate } } }`, { p: PERIOD }, MINISTRY);
    const res = await fetch(`${origin}/export/ranking?report=case&year=${PERIOD.year}&format=csv&lang=en`, { headers: MINISTRY });
    const lines = (await res.text())
      .replace(/^\ufeff/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[1]).toBe('Rank,Unit,Enforceable,Done,Completion rate (%)');
    expect(lines.slice(2).map((l) => l.split(',').slice(0, 2))).toEqual(caseRanking.map((r) => [String(r.rank), r.unit.name]));
  });

  it('lets a province rank its own wards, as its figures rank them, and no other province’s', async () => {
    // The province of the ward with the best enforceable share nationwide: its wards have figures to rank.
    const { top } = await gqlData<{ top: { unit: { parent: { id: string } } }[] }>(
      hub.url,
      `query($p: PeriodInput!) { top: caseRanking(period: $p, level: WARD, metric: ENFORCEABLE_SHARE) { unit { parent { id } } } }`,
      { p: PERIOD },
      MINISTRY,
    );
    const mine = top[0]!.unit.parent.id;
    const elsewhere = mine === String(province) ? String(otherProvince) : String(province);
    const provinceToken = bearer('province', [Number(mine)]);
    const RANK = `query($p: PeriodInput!, $within: ID) { caseRanking(period: $p, level: WARD, metric: ENFORCEABLE_SHARE, within: $within) { rank value unit { id } figures { enforceableShare } } }`;
    const { caseRanking } = await gqlData<{
      caseRanking: { rank: number; value: string | null; unit: { id: string }; figures: { enforceableShare: number | null } }[];
    }>(hub.url, RANK, { p: PERIOD, within: mine }, provinceToken);
    const { unit } = await gqlData<{ unit: { children: { id: string; caseStats: { enforceableShare: number | null } }[] } }>(
      hub.url,
      `query($id: ID!, $p: PeriodInput!) { unit(id: $id) { children { id caseStats(period: $p) { enforceableShare } } } }`,
      { id: mine, p: PERIOD },
      MINISTRY,
    );
    expect(caseRanking.map((r) => r.unit.id).sort()).toEqual(unit.children.map((c) => c.id).sort());
    const rates = new Map(unit.children.map((c) => [c.id, c.caseStats.enforceableShare]));
    caseRanking.forEach((r, i) => {
      expect(r.figures.enforceableShare).toBe(rates.get(r.unit.id));
      const before = caseRanking[i - 1];
      if (before && r.value !== null) expect(Number(before.value)).toBeGreaterThanOrEqual(Number(r.value));
      if (before) expect(r.rank).toBeGreaterThanOrEqual(before.rank);
    });
    expect(caseRanking.some((r) => r.value !== null)).toBe(true);
    const foreign = await gql(hub.url, RANK, { p: PERIOD, within: elsewhere }, provinceToken);
    expect(foreign.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const national = await gql(hub.url, RANK, { p: PERIOD }, provinceToken);
    expect(national.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const csv = await fetch(`${origin}/export/ranking?report=case&level=WARD&within=${mine}&year=${PERIOD.year}`, { headers: provinceToken });
    expect((await csv.text()).trimEnd().split('\r\n')).toHaveLength(2 + caseRanking.length);
  });

  it('downloads the form of an old province by its code on a date before the merger, as the API finds it', async () => {
    const asOf = '2025-03-31';
    const { old } = await gqlData<{ old: { id: string; name: string } }>(
      hub.url,
      `{ old: unitByCode(code: "ha-giang", asOf: "${asOf}") { id name } }`,
      undefined,
      MINISTRY,
    );
    const { f } = await gqlData<{ f: Form }>(
      hub.url,
      `query($id: ID!, $p: PeriodInput!, $asOf: Date) { f: caseReportForm(unitId: $id, period: $p, asOf: $asOf) { unitName rows { label values } } }`,
      { id: old.id, p: PERIOD, asOf },
      MINISTRY,
    );
    const csv = await fetch(`${origin}/export/form?form=1&unit=ha-giang&asOf=${asOf}&year=${PERIOD.year}&format=csv`, { headers: MINISTRY });
    expect(csv.status).toBe(200);
    const lines = (await csv.text())
      .replace(/^\ufeff/, '')
      .trimEnd()
      .split('\r\n');
    expect(f.unitName).toBe(old.name);
    expect(lines[0]).toContain(old.name);
    expect(lines).toHaveLength(2 + f.rows.length);
    // Today the code names no unit: the answer says so with the API's code.
    const today = await fetch(`${origin}/export/form?form=1&unit=ha-giang`, { headers: MINISTRY });
    expect([today.status, ((await today.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code]).toEqual([
      400,
      'UNIT_NOT_FOUND',
    ]);
  });

  it('answers bad requests and foreign units with the API’s codes, and keeps serving', async () => {
    const provinceToken = bearer('province', [province]);
    const foreign = await fetch(`${origin}/export/form?form=1&unit=${otherProvince}`, { headers: provinceToken });
    expect([foreign.status, ((await foreign.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code]).toEqual([403, 'FORBIDDEN']);
    const own = await fetch(`${origin}/export/form?form=1&unit=${province}`, { headers: provinceToken });
    expect(own.status).toBe(200);
    const refusals: [string, number, string][] = [
      ['/export/form?form=3', 400, 'BAD_USER_INPUT'],
      ['/export/form?form=1&year=20x6', 400, 'BAD_USER_INPUT'],
      ['/export/form?form=1&format=pdf', 400, 'BAD_USER_INPUT'],
      ['/export/form?form=1&unit=99999999', 400, 'UNIT_NOT_FOUND'],
      ['/export/ranking?report=budget', 400, 'BAD_USER_INPUT'],
    ];
    for (const [path, status, code] of refusals) {
      const res = await fetch(`${origin}${path}`, { headers: MINISTRY });
      const body = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect({ path, status: res.status, code: body.errors[0]!.extensions.code }).toEqual({ path, status, code });
      expect(body.errors[0]!.message.length).toBeGreaterThan(10);
    }
    const anonymous = await fetch(`${origin}/export/form?form=1`, { headers: { authorization: 'Bearer not-a-token' } });
    expect(anonymous.status).toBe(401);
    await gqlData(hub.url, '{ ministry { id } }', undefined, MINISTRY);
  });
});
