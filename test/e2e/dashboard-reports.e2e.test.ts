import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { defaultPeriod, periodEnd, toPeriodInput } from '../../dashboard/src/period';
import { todayInVietnam } from '../../dashboard/src/format';
import { bearer, token } from '../support/auth';
import { gql, gqlData } from '../support/graphql-client';
import { freePortRange, startHubProcess, type HubProcess } from '../support/hub-process';
import { ROOT } from '../support/pg-server';
import { createTestDatabase, dropTestDatabase } from '../support/test-db';

// The dashboard's rankings through the API, its report forms and its downloads from the
// gateway's /export endpoints, in Chromium against a real hub.

const ARTIFACTS = join(ROOT, 'test-artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CREDENTIAL = 'thads.dashboard.credential';

/** Digits grouped by dots and rates with a decimal comma, written here without Intl: the expectation is not the dashboard's own formatter. */
const grouped = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
const rateText = (value: string | number | null) => (value === null ? '—' : `${Number(value).toFixed(2).replace('.', ',')}\u00a0%`);

/** Rows of a table on the page, in order: row key, then column → exact value and text. */
function tableRows(
  page: Page,
  tableId: string,
): Promise<{ key: string; kind: string; name: string; cells: Record<string, { value: string; text: string }> }[]> {
  // Runs in the page; the tests' TypeScript has no DOM types, so the page's objects are untyped here.
  return page.evaluate(
    (id) =>
      [...(globalThis as any).document.querySelectorAll(`#${id} tbody tr[data-row]`)].map((tr: any) => {
        const cells: Record<string, { value: string; text: string }> = {};
        tr.querySelectorAll('td').forEach((td: any) => (cells[td.dataset.col] = { value: td.dataset.value ?? '', text: td.textContent ?? '' }));
        return { key: tr.dataset.row, kind: tr.dataset.kind ?? '', name: tr.querySelector('[data-col="unit"], [data-col="name"]')?.textContent ?? '', cells };
      }),
    tableId,
  );
}

describe('the dashboard: rankings by the API, report forms and downloads', () => {
  let db: string;
  let hub: HubProcess;
  let origin: string;
  let browser: Browser;
  const period = defaultPeriod(todayInVietnam());
  const asOf = periodEnd(period);
  let province: string;
  let other: string;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    db = await createTestDatabase('dashboard_reports');
    hub = await startHubProcess(db, await freePortRange(5), ['--cases', '1000']);
    origin = new URL(hub.url).origin;
    const data = await gqlData(hub.url, `{ tq: unitByCode(code: "tuyen-quang") { id } hn: unitByCode(code: "ha-noi") { id } }`);
    province = data.tq.id;
    other = data.hn.id;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  }, 240000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    if (db) await dropTestDatabase(db);
  });

  /** A page signed in with `credential` (kept in sessionStorage as the sign-in form keeps it), recording the exports it requests. */
  const open = async (path: string, credential: string) => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
    const problems: string[] = [];
    const exports: { url: string; authorization: string | undefined }[] = [];
    const graphql: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('request', (r) => {
      if (r.url().includes('/export/')) exports.push({ url: r.url(), authorization: r.headers().authorization });
      if (r.url().endsWith('/graphql') && r.method() === 'POST') graphql.push(r.postData() ?? '');
    });
    await page.addInitScript(([key, value]) => (globalThis as any).sessionStorage.setItem(key, value), [CREDENTIAL, credential] as const);
    await page.goto(origin + path);
    return { page, problems, exports, graphql };
  };

  const download = async (page: Page, selector: string) => {
    const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
    return { name: file.suggestedFilename(), path: (await file.path())! };
  };

  it("downloads the national case ranking as XLSX from the gateway with the caller's token, holding the API's very figures", async () => {
    const ministry = token('ministry');
    const { page, problems, exports } = await open('/dashboard#/national', ministry);
    await page.waitForSelector('#national-table tbody tr');
    const file = await download(page, 'button[data-export="national-case"][data-format="xlsx"]');
    expect(file.name).toMatch(/\.xlsx$/);
    // The file came from the gateway's export, for the period on screen, with the tab's token.
    expect(exports).toHaveLength(1);
    const url = new URL(exports[0].url);
    expect(url.pathname).toBe('/export/ranking');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ report: 'case', level: 'PROVINCE', format: 'xlsx', lang: 'vi', asOf });
    expect(exports[0].authorization).toBe(`Bearer ${ministry}`);

    const api = await gqlData(
      hub.url,
      `query($p: PeriodInput!, $asOf: Date!) { caseRanking(period: $p, asOf: $asOf) { rank unit { name } figures { enforceable done completionRate } } }`,
      { p: toPeriodInput(period), asOf },
      bearer('ministry'),
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file.path);
    const sheet = workbook.worksheets[0];
    expect(sheet.getRow(2).getCell(1).value).toBe('Hạng');
    expect(sheet.getRow(2).getCell(2).value).toBe('Đơn vị');
    expect(sheet.rowCount).toBe(2 + api.caseRanking.length);
    api.caseRanking.forEach((r: any, i: number) => {
      const row = sheet.getRow(3 + i);
      expect(row.getCell(1).value).toBe(r.rank);
      expect(row.getCell(2).value).toBe(r.unit.name);
      expect(row.getCell(3).value).toBe(r.figures.enforceable);
      expect(row.getCell(4).value).toBe(r.figures.done);
      expect(row.getCell(5).value ?? null).toBe(r.figures.completionRate);
    });

    // The money ranking's CSV comes the same way, in English once the page is.
    await page.click('#language');
    await page.waitForSelector('#national-table th[data-label="Province"]');
    const csv = readFileSync((await download(page, 'button[data-export="national-money"][data-format="csv"]')).path, 'utf8')
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(csv[1]).toBe('Rank,Unit,Enforceable (VND),Done (VND),Completion rate (%)');
    expect(csv).toHaveLength(2 + api.caseRanking.length);
    expect(new URL(exports[1].url).searchParams.get('lang')).toBe('en');
    await page.click('#language');
    expect(problems).toEqual([]);
    await page.close();
  }, 60000);

  it("shows report form 1 of a province cell for cell as caseReportForm answers, kept live, its own province by default for a province's token", async () => {
    const own = token('province', [Number(province)]);
    const { page, problems, exports } = await open('/dashboard#/forms', own);
    await page.waitForSelector('#form-table');
    expect(await page.getAttribute('#report-form', 'data-unit')).toBe(province);
    expect(await page.inputValue('#form-unit')).toBe(province);
    expect(await page.inputValue('#form-number')).toBe('1');
    const { caseReportForm: form } = await gqlData(
      hub.url,
      `query($id: ID!, $p: PeriodInput!, $asOf: Date) { caseReportForm(unitId: $id, period: $p, asOf: $asOf) {
        title unitName columns { key label labelEn kind } rows { kind label unitId values } } }`,
      { id: province, p: toPeriodInput(period), asOf },
      { authorization: `Bearer ${own}` },
    );
    expect(await page.textContent('#form-title')).toBe(`Biểu số 1: ${form.title}`);
    const headings = await page.$$eval('#form-table thead th', (ths) => ths.map((th) => th.textContent ?? ''));
    expect(headings).toEqual(['Đơn vị', ...form.columns.map((c: any) => c.label)]);
    const rows = await tableRows(page, 'form-table');
    // The API's order: the total first, the province's own row, then its wards.
    expect(rows.map((r) => r.kind)).toEqual(form.rows.map((r: any) => r.kind));
    expect(rows[0].kind).toBe('TOTAL');
    form.rows.forEach((r: any, i: number) => {
      expect(rows[i].name).toBe(r.label);
      form.columns.forEach((c: any, j: number) => {
        const value = r.values[j];
        const cell = rows[i].cells[c.key];
        expect(cell.value).toBe(value ?? '');
        expect(cell.text).toBe(c.kind === 'RATE' ? rateText(value) : grouped(value));
      });
    });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-forms.png'), fullPage: true });

    // Live: a case received at one of its wards reaches the form's total row without a reload.
    const newly = '#form-table tr[data-kind="TOTAL"] td[data-col="newlyReceived"]';
    const shown = BigInt((await page.getAttribute(newly, 'data-value')) || '0');
    const { tq } = await gqlData(hub.url, `{ tq: unitByCode(code: "tuyen-quang") { children { id } } }`);
    await gqlData(
      hub.url,
      `mutation($input: ReceiveCaseInput!, $key: String!) { receiveCase(input: $input, idempotencyKey: $key) { id } }`,
      {
        input: { unitId: tq.children[0].id, receivedOn: todayInVietnam(), judgmentRef: `form-live-${Date.now()}/2026` },
        key: `form-live-${process.pid}-${Date.now()}`,
      },
      bearer('reporter', [1]),
    );
    await page.waitForFunction(
      ([sel, n]) => (globalThis as any).document.querySelector(sel)?.getAttribute('data-value') === n,
      [newly, String(shown + 1n)] as const,
      { timeout: 5000 },
    );

    // English headings on the language switch; the same form's XLSX from the gateway.
    await page.click('#language');
    await page.waitForSelector('#form-table th[data-col="unit"]:text("Unit")');
    expect(await page.$$eval('#form-table thead th', (ths) => ths.slice(1).map((th) => th.textContent ?? ''))).toEqual(form.columns.map((c: any) => c.labelEn));
    const file = await download(page, 'button[data-export="form"][data-format="xlsx"]');
    expect(Object.fromEntries(new URL(exports[0].url).searchParams)).toMatchObject({ form: '1', unit: province, lang: 'en', format: 'xlsx' });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file.path);
    const sheet = workbook.worksheets[0];
    expect(sheet.getRow(2).getCell(2).value).toBe(form.columns[0].labelEn);
    expect(sheet.getRow(3).getCell(1).value).toBe(form.rows[0].label);
    await page.click('#language');

    // Another form through the chooser.
    await page.selectOption('#form-number', '2');
    await page.click('#form-show');
    await page.waitForSelector('#form-table[data-form="2"]');
    expect(page.url()).toMatch(new RegExp(`#/forms/2/${province}$`));
    expect(problems).toEqual([]);
    await page.close();
  }, 60000);

  it("ranks a province's wards through the API for its own token, and shows the API's refusal for another province", async () => {
    const own = token('province', [Number(province)]);
    const { page, problems, exports, graphql } = await open(`/dashboard#/province/${province}`, own);
    await page.waitForSelector('#ward-table tbody tr');
    // The ranking is asked of the API, not computed in the browser.
    expect(graphql.some((body) => /caseRanking\([^)]*level: WARD, within: \$id\)/.test(body))).toBe(true);
    const api = await gqlData(
      hub.url,
      `query($id: ID!, $p: PeriodInput!, $asOf: Date!) {
        caseRanking(period: $p, asOf: $asOf, level: WARD, within: $id) { rank unit { id name } figures { done completionRate } }
        moneyRanking(period: $p, asOf: $asOf, level: WARD, within: $id) { unit { id } figures { done } } }`,
      { id: province, p: toPeriodInput(period), asOf },
      { authorization: `Bearer ${own}` },
    );
    expect(api.caseRanking.length).toBeGreaterThan(10);
    const rows = new Map((await tableRows(page, 'ward-table')).map((r) => [r.key, r]));
    expect(rows.size).toBe(api.caseRanking.length);
    const money = new Map<string, string>(api.moneyRanking.map((r: any) => [r.unit.id, r.figures.done]));
    for (const r of api.caseRanking) {
      const row = rows.get(r.unit.id)!;
      expect(row.name).toBe(r.unit.name);
      expect(row.cells.rank.value).toBe(String(r.rank));
      expect(row.cells.done.value).toBe(String(r.figures.done));
      expect(row.cells.caseRate.text).toBe(rateText(r.figures.completionRate));
      expect(row.cells.moneyDone.value).toBe(money.get(r.unit.id));
    }
    // Its wards' ranking as a file, with the province's own token.
    const csv = readFileSync((await download(page, 'button[data-export="ward-case"][data-format="csv"]')).path, 'utf8')
      .trim()
      .split('\r\n');
    expect(csv).toHaveLength(2 + api.caseRanking.length);
    expect(Object.fromEntries(new URL(exports[0].url).searchParams)).toMatchObject({ report: 'case', level: 'WARD', within: province });
    expect(exports[0].authorization).toBe(`Bearer ${own}`);

    // Another province's wards: the API refuses the ranking (and the export), the page says so.
    const refused = await gql(
      hub.url,
      `query($id: ID!, $p: PeriodInput!) { caseRanking(period: $p, level: WARD, within: $id) { rank } }`,
      { id: other, p: toPeriodInput(period) },
      { authorization: `Bearer ${own}` },
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const file = await fetch(`${origin}/export/ranking?report=case&level=WARD&within=${other}&format=xlsx`, { headers: { authorization: `Bearer ${own}` } });
    expect(file.status).toBe(403);
    await page.goto(`${origin}/dashboard#/province/${other}`);
    const refusal = page.locator('[role="alert"][data-code="FORBIDDEN"]');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('Không được phép');
    expect(await page.locator('#ward-table').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  }, 60000);
});
