import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import * as finances from '@thads/finances';
import { token } from '../support/auth';
import { migrateAll, startInProcessHub, type InProcessHub } from '../support/in-process-hub';
import { ROOT } from '../support/pg-server';
import { demoCases, leavesOf, seedTestCases, seedTestUnits } from '../support/seeded-db';
import { createTestDatabase, dropTestDatabase } from '../support/test-db';

const ARTIFACTS = join(ROOT, 'test-artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CREDENTIAL = 'thads.dashboard.credential';

/**
 * The dashboard while a service of the hub is down (a real gateway and subgraphs on real
 * ports, the finances subgraph stopped): it says so in plain words, with the API's code, keeps
 * working, and draws the view again on "try again" once the service is back.
 */
describe('the dashboard with a service down', () => {
  let db: string;
  let hub: InProcessHub;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    db = await createTestDatabase('dashboard_faults');
    await migrateAll(db);
    const { units } = await seedTestUnits(db);
    await seedTestCases(db, demoCases(leavesOf(units), 500, 'dashboard-faults'));
    hub = await startInProcessHub(db);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  }, 180000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    if (db) await dropTestDatabase(db);
  });

  it('says a service is not answering, in plain words, and draws the view again on "try again" once it is back', async () => {
    const index = 2; // finances, in the order startInProcessHub starts the subgraphs
    const port = Number(new URL(hub.subgraphs[index]!.url).port);
    await hub.subgraphs[index]!.stop();

    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.addInitScript(([key, value]) => (globalThis as any).sessionStorage.setItem(key, value), [CREDENTIAL, token('ministry')] as const);
    await page.goto(`${new URL(hub.url).origin}/dashboard#/national`);
    const refusal = page.locator('[role="alert"][data-code="SUBGRAPH_UNAVAILABLE"]').first();
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('Một dịch vụ của hệ thống đang không trả lời');
    expect(await refusal.textContent()).toContain('The finances service is not answering (connection refused)');
    // The service's private address stays out of what callers read.
    expect(await refusal.textContent()).not.toMatch(/127\.0\.0\.1|:\d{4,5}\b/);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-service-down.png'), fullPage: true });

    hub.subgraphs[index] = await finances.start({ ...hub.subgraphConfig, PORT: port } as never);
    await refusal.locator('button.retry').click();
    await page.waitForSelector('#national-table tbody tr');
    expect(await page.locator('#national-table tbody tr').count()).toBe(34);
    expect(await page.locator('[role="alert"][data-code="SUBGRAPH_UNAVAILABLE"]').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  }, 60000);
});
