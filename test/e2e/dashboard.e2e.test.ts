import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page, type WebSocketRoute } from 'playwright-core';
import { Client } from 'pg';
import { createApiKey, ensureApiKeyTable } from '@thads/kit';
import { defaultPeriod, periodEnd, previousYear, toPeriodInput } from '../../dashboard/src/period';
import { todayInVietnam } from '../../dashboard/src/format';
import { bearer, token } from '../support/auth';
import { gql, gqlData } from '../support/graphql-client';
import { freePortRange, startHubProcess, type HubProcess } from '../support/hub-process';
import { ROOT } from '../support/pg-server';
import { createTestDatabase, dropTestDatabase } from '../support/test-db';

const ARTIFACTS = join(ROOT, 'test-artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Digits grouped by dots, as Vietnamese writes them, without Intl: the expectation is not the dashboard's own formatter. */
const grouped = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
const rate = (value: number | null) => (value === null ? '—' : `${value.toFixed(2).replace('.', ',')}\u00a0%`);

/** Every cell of a table on the page: row key → column → its exact value and its text. */
function cells(page: Page, tableId: string): Promise<Record<string, Record<string, { value: string; text: string }>>> {
  // Runs in the page; the tests' TypeScript has no DOM types, so the page's objects are untyped here.
  return page.evaluate((id) => {
    const out: Record<string, Record<string, { value: string; text: string }>> = {};
    (globalThis as any).document.querySelectorAll(`#${id} tr[data-row]`).forEach((tr: any) => {
      const row: Record<string, { value: string; text: string }> = {};
      tr.querySelectorAll('td').forEach((td: any) => (row[td.dataset.col] = { value: td.dataset.value ?? '', text: td.textContent ?? '' }));
      out[tr.dataset.row] = row;
    });
    return out;
  }, tableId);
}

describe('the dashboard in a browser', () => {
  let db: string;
  let hub: HubProcess;
  let origin: string;
  let browser: Browser;
  // The period the dashboard opens on, computed here from the same rule: the statistical year so far.
  const period = defaultPeriod(todayInVietnam());
  const asOf = periodEnd(period);
  let province: { id: string; ward: string };
  let other: string;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    db = await createTestDatabase('dashboard');
    hub = await startHubProcess(db, await freePortRange(5), ['--cases', '1000']);
    origin = new URL(hub.url).origin;
    const data = await gqlData(hub.url, `{ tq: unitByCode(code: "tuyen-quang") { id children { id } } hn: unitByCode(code: "ha-noi") { id } }`);
    province = { id: data.tq.id, ward: data.tq.children[0].id };
    other = data.hn.id;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  }, 240000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    if (db) await dropTestDatabase(db);
  });

  const open = async (path: string) => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(origin + path);
    return { page, problems };
  };

  it('serves the page and its files from the gateway, and answers bad paths clearly', async () => {
    const root = await fetch(`${origin}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/dashboard');
    const page = await fetch(`${origin}/dashboard`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("connect-src 'self'");
    expect(await page.text()).toContain('/dashboard/js/main.js');
    for (const path of ['/dashboard/js/main.js', '/dashboard/dashboard.css', '/dashboard/vendor/graphql-ws/client.js'])
      expect((await fetch(origin + path)).status).toBe(200);
    for (const path of ['/dashboard/nothing.js', '/dashboard/js/..%2f..%2fpackage.json', '/dashboard/js/main.d.ts', '/dashboard/vendor/graphql-ws/server.js']) {
      const res = await fetch(origin + path);
      expect(res.status).toBe(404);
      expect(await res.text()).toMatch(/No such dashboard file/);
    }
    const post = await fetch(`${origin}/dashboard`, { method: 'POST' });
    expect(post.status).toBe(405);
    // GraphQL stays where it was.
    expect((await gql(hub.url, '{ ministry { id } }')).data).toEqual({ ministry: { id: '1' } });
  });

  it('shows the provinces ranked with the very figures the API gives, the national totals and last year, live', async () => {
    const { page, problems } = await open('/');
    await page.waitForURL(/\/dashboard#\/national$/);
    await page.waitForSelector('#live-state[data-state="connected"]');
    await page.waitForSelector('#national-table tbody tr');
    const api = await gqlData(
      hub.url,
      `query($p: PeriodInput!, $prev: PeriodInput!, $asOf: Date!) {
        caseRanking(period: $p, asOf: $asOf) { rank unit { id name } figures { toEnforce enforceable done completionRate } }
        moneyRanking(period: $p, asOf: $asOf) { rank unit { id } figures { enforceable done completionRate } }
        previousCases: caseRanking(period: $prev, asOf: $asOf) { unit { id } figures { completionRate } }
        ministry { caseStats(period: $p, asOf: $asOf) { toEnforce enforceable done completionRate change { completionRate } }
                   moneyStats(period: $p, asOf: $asOf) { enforceable done completionRate } }
      }`,
      { p: toPeriodInput(period), prev: toPeriodInput(previousYear(period)), asOf },
    );
    expect(api.caseRanking).toHaveLength(34);
    const table = await cells(page, 'national-table');
    expect(Object.keys(table).filter((k) => k !== 'total')).toHaveLength(34);
    const money = new Map<string, any>(api.moneyRanking.map((r: any) => [r.unit.id, r]));
    const before = new Map<string, number | null>(api.previousCases.map((r: any) => [r.unit.id, r.figures.completionRate]));
    for (const r of api.caseRanking) {
      const row = table[r.unit.id];
      const m = money.get(r.unit.id);
      expect(row.name.text).toBe(r.unit.name);
      expect(row.caseRank.value).toBe(String(r.rank));
      for (const f of ['toEnforce', 'enforceable', 'done'] as const) {
        expect(row[f].value).toBe(String(r.figures[f]));
        expect(row[f].text).toBe(grouped(String(r.figures[f])));
      }
      expect(row.caseRate.text).toBe(rate(r.figures.completionRate));
      expect(row.moneyEnforceable.value).toBe(m.figures.enforceable);
      expect(row.moneyEnforceable.text).toBe(grouped(m.figures.enforceable));
      expect(row.moneyDone.value).toBe(m.figures.done);
      expect(row.moneyRate.text).toBe(rate(m.figures.completionRate));
      expect(row.moneyRank.value).toBe(String(m.rank));
      const was = before.get(r.unit.id);
      const change = r.figures.completionRate === null || was == null ? '' : String((Math.round(r.figures.completionRate * 100) - Math.round(was * 100)) / 100);
      expect(row.caseChange.value).toBe(change);
    }
    const nation = api.ministry;
    expect(table.total.toEnforce.value).toBe(String(nation.caseStats.toEnforce));
    expect(table.total.done.value).toBe(String(nation.caseStats.done));
    expect(table.total.caseRate.text).toBe(rate(nation.caseStats.completionRate));
    expect(table.total.caseChange.value).toBe(String(nation.caseStats.change.completionRate ?? ''));
    expect(table.total.moneyDone.value).toBe(nation.moneyStats.done);
    // Both charts have a bar for every province with a rate.
    expect(await page.locator('#chart-cases rect.bar').count()).toBe(api.caseRanking.filter((r: any) => r.figures.completionRate !== null).length);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-national.png'), fullPage: true });

    // Sorting by name puts the provinces in Vietnamese order.
    await page.click('#national-table th[data-col="name"] button');
    const names = await page.$$eval('#national-table tbody td[data-col="name"]', (tds) => tds.map((td) => td.textContent ?? ''));
    expect(names).toEqual([...names].sort(new Intl.Collator('vi').compare));

    // The CSV is the table on screen: Vietnamese headers, exact integers and VND digits.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('button[data-csv-for="national-table"]')]);
    const csv = readFileSync((await download.path())!, 'utf8')
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(csv[0]).toContain('Việc phải thi hành');
    expect(csv).toHaveLength(36);
    const first = api.caseRanking.find((r: any) => r.unit.name === names[0]);
    const line = csv.find((l) => l.includes(`,${first.unit.name},`))!;
    expect(line.split(',')).toEqual(expect.arrayContaining([String(first.figures.toEnforce), money.get(first.unit.id).figures.enforceable]));

    // English on request; Vietnamese is the default.
    await page.click('#language');
    await page.waitForSelector('#national-table th[data-label="Province"]');
    await page.click('#language');
    await page.waitForSelector('#national-table th[data-label="Tỉnh, thành phố"]');
    expect(problems).toEqual([]);
    await page.close();
  }, 60000);

  it("updates a province's figures on screen within seconds of a write, without a reload", async () => {
    const { page, problems } = await open(`/dashboard#/province/${province.id}`);
    await page.waitForSelector('#live-state[data-state="connected"]');
    const figure = '[data-figure="case.newlyReceived"]';
    await page.waitForSelector(figure);
    const read = async () => Number(await page.getAttribute(figure, 'data-value'));
    const api = async () =>
      (
        await gqlData(hub.url, `query($id: ID!, $p: PeriodInput!, $asOf: Date!) { unit(id: $id) { caseStats(period: $p, asOf: $asOf) { newlyReceived } } }`, {
          id: province.id,
          p: toPeriodInput(period),
          asOf,
        })
      ).unit.caseStats.newlyReceived as number;
    const shown = await read();
    expect(shown).toBe(await api());
    expect(await page.locator('#ward-table tbody tr').count()).toBeGreaterThan(10);
    expect(await page.locator('#formed-from li.old').count()).toBeGreaterThan(0);
    // A marker that a reload would wipe out.
    await page.evaluate(() => ((globalThis as any).__sameDocument = true));
    await gqlData(
      hub.url,
      `mutation($input: ReceiveCaseInput!, $key: String!) { receiveCase(input: $input, idempotencyKey: $key) { id } }`,
      { input: { unitId: province.ward, receivedOn: todayInVietnam(), judgmentRef: `dash-${Date.now()}/2026` }, key: `dashboard-${process.pid}-${Date.now()}` },
      bearer('reporter', [1]),
    );
    const written = Date.now();
    await page.waitForFunction(
      ([sel, n]) => Number((globalThis as any).document.querySelector(sel)?.getAttribute('data-value')) === n,
      [figure, shown + 1] as const,
      {
        timeout: 3000,
      },
    );
    expect(Date.now() - written).toBeLessThan(3000);
    expect(await api()).toBe(shown + 1);
    expect(await page.evaluate(() => (globalThis as any).__sameDocument)).toBe(true);
    expect(await page.getAttribute('#last-change', 'data-time')).not.toBe('');
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-province.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  }, 60000);

  it('shows a lost live connection as reconnecting, then connected again, and keeps updating', async () => {
    const page = await browser.newPage();
    // Every WebSocket of the page passes through the test, which can cut it as a network would.
    const sockets: WebSocketRoute[] = [];
    await page.routeWebSocket(/\/graphql$/, (ws) => {
      ws.connectToServer();
      sockets.push(ws);
    });
    await page.goto(`${origin}/dashboard#/province/${province.id}`);
    await page.waitForSelector('#live-state[data-state="connected"]');
    expect(await page.textContent('#live-state')).toBe('Đã kết nối');
    await sockets.at(-1)!.close({ code: 1012, reason: 'cut by the test' });
    await page.waitForSelector('#live-state[data-state="reconnecting"]');
    expect(await page.textContent('#live-state')).toBe('Đang kết nối lại');
    await page.waitForSelector('#live-state[data-state="connected"]', { timeout: 15000 });
    expect(sockets.length).toBeGreaterThanOrEqual(2);
    const figure = '[data-figure="case.newlyReceived"]';
    const shown = Number(await page.getAttribute(figure, 'data-value'));
    await gqlData(
      hub.url,
      `mutation($input: ReceiveCaseInput!, $key: String!) { receiveCase(input: $input, idempotencyKey: $key) { id } }`,
      {
        input: { unitId: province.ward, receivedOn: todayInVietnam(), judgmentRef: `dash-r-${Date.now()}/2026` },
        key: `dashboard-r-${process.pid}-${Date.now()}`,
      },
      bearer('reporter', [1]),
    );
    await page.waitForFunction(
      ([sel, n]) => Number((globalThis as any).document.querySelector(sel)?.getAttribute('data-value')) === n,
      [figure, shown + 1] as const,
      {
        timeout: 5000,
      },
    );
    await page.close();
  }, 60000);

  it("opens a province's own view for its token, and shows the API's refusal for another province", async () => {
    const { page, problems } = await open('/dashboard');
    await page.fill('#credential', token('province', [Number(province.id)]));
    await page.click('#sign-in button[type="submit"]');
    await page.waitForURL(new RegExp(`#/province/${province.id}$`));
    await page.waitForSelector(`#province-name[data-unit="${province.id}"]`);
    expect(await page.getAttribute('#who', 'data-role')).toBe('province');
    expect(await page.textContent('#who')).toContain('Tỉnh');
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-province-token.png'), fullPage: true });
    await page.goto(`${origin}/dashboard#/province/${other}`);
    const refusal = page.locator('[role="alert"][data-code="FORBIDDEN"]');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('Không được phép');
    expect(await page.locator('#province-name').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-refused.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  }, 60000);

  it("asks the API who an API key belongs to (me), so a province's key opens its province too", async () => {
    const admin = new Client({ connectionString: db });
    await admin.connect();
    await ensureApiKeyTable(admin);
    const { key } = await createApiKey(admin, 'Cục THADS Tuyên Quang', 'province', [Number(province.id)], []);
    await admin.end();
    const { page, problems } = await open('/dashboard');
    await page.fill('#credential', key);
    await page.click('#sign-in button[type="submit"]');
    await page.waitForURL(new RegExp(`#/province/${province.id}$`));
    await page.waitForSelector(`#province-name[data-unit="${province.id}"]`);
    expect(await page.getAttribute('#who', 'data-kind')).toBe('apiKey');
    expect(await page.getAttribute('#who', 'data-role')).toBe('province');
    expect(await page.getAttribute('#who', 'data-verified')).toBe('yes');
    expect(await page.textContent('#who')).toContain('Tuyên Quang');
    expect(problems).toEqual([]);
    await page.close();
  }, 60000);
});
