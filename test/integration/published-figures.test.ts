import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toNdjson, type EventLine } from '@thads/kit';
import { gqlData } from '../support/graphql-client';
import { migrateAll, startInProcessHub, type InProcessHub } from '../support/in-process-hub';
import { seedTestUnits } from '../support/seeded-db';
import { createTestDatabase, dropTestDatabase } from '../support/test-db';
import { bearer } from '../support/auth';

/** Raw case events that produce given counts, spread over a unit's districts. */
function caseLines(
  districts: number[],
  firstId: number,
  spec: { carriedOver: number; received: number; entrusted: number; withdrawn: number; enforceable: number; done: number },
  year: number,
): EventLine[] {
  const lines: EventLine[] = [];
  let id = firstId;
  const total = spec.carriedOver + spec.received;
  for (let i = 0; i < total; i++) {
    const caseId = String(id++);
    const carried = i < spec.carriedOver;
    const unitId = String(districts[i % districts.length]);
    // Carried over: received January–September before the year; newly received: in October.
    const receivedOn = carried ? `${year - 1}-0${1 + (i % 9)}-15` : `${year - 1}-10-0${1 + (i % 9)}`;
    lines.push({ event: 'CASE_RECEIVED', caseId, unitId, date: receivedOn, judgmentRef: `${i}/${year - 1}/DS-ST` });
    // Out of the period's cases, in order: entrusted, withdrawn, then enforceable ones (some done).
    const k = i;
    if (k < spec.entrusted) lines.push({ event: 'CASE_ENTRUSTED_OUT', caseId, date: `${year}-03-10` });
    else if (k < spec.entrusted + spec.withdrawn) lines.push({ event: 'CASE_WITHDRAWN', caseId, date: `${year}-03-11` });
    else if (k < spec.entrusted + spec.withdrawn + spec.enforceable) {
      lines.push({ event: 'CASE_CLASSIFIED_ENFORCEABLE', caseId, date: `${year}-01-05` });
      if (k < spec.entrusted + spec.withdrawn + spec.done) lines.push({ event: 'CASE_COMPLETED', caseId, date: `${year}-06-20` });
    } else lines.push({ event: 'CASE_CLASSIFIED_NOT_ENFORCEABLE', caseId, date: `${year}-01-06` });
  }
  return lines.sort((a, b) => String(a.date).localeCompare(String(b.date)));
}

describe('published figures, reproduced from their raw counts loaded through the API', () => {
  let db: string;
  let hub: InProcessHub;
  let seeded: Awaited<ReturnType<typeof seedTestUnits>>;

  beforeAll(async () => {
    db = await createTestDatabase('published');
    await migrateAll(db);
    seeded = await seedTestUnits(db);
    hub = await startInProcessHub(db);
  }, 120000);

  afterAll(async () => {
    await hub?.stop();
    if (db) await dropTestDatabase(db);
  });

  const stats = `caseStats(period: { year: $year }) { carriedOver newlyReceived totalHandled entrustedOut withdrawn toEnforce enforceable notEnforceable done carriedToNext completionRate }`;

  it('reproduces the district worked example of statistical year 2022: 289 ÷ 327 = 88.38%, 54 carried to the next year', async () => {
    const district = seeded.units.find((u) => u.type === 'DISTRICT')!.id;
    const lines = caseLines([district], 1, { carriedOver: 55, received: 296, entrusted: 8, withdrawn: 0, enforceable: 327, done: 289 }, 2022);
    writeFileSync(join(hub.importDir, 'district.ndjson'), toNdjson(lines));
    const imported = await gqlData(hub.url, `mutation { importCaseEvents(path: "district.ndjson") { applied } }`, undefined, bearer('reporter', [1]));
    expect(imported.importCaseEvents.applied).toBe(lines.length);
    const res = await gqlData(hub.url, `query($id: ID!, $year: Int!) { unit(id: $id) { ${stats} } }`, { id: String(district), year: 2022 });
    expect(res.unit.caseStats).toEqual({
      carriedOver: 55,
      newlyReceived: 296,
      totalHandled: 351,
      entrustedOut: 8,
      withdrawn: 0,
      toEnforce: 343,
      enforceable: 327,
      notEnforceable: 16,
      done: 289,
      carriedToNext: 54,
      completionRate: 88.38,
    });
  });

  it('reproduces a provincial report: 53,640 handled − 368 entrusted − 6 withdrawn = 53,266 to enforce, 30,650 ÷ 36,542 = 83.88%', async () => {
    const province = seeded.units.find((u) => u.code === 'thanh-hoa' && u.validTo !== null)!;
    const districts = seeded.units.filter((u) => u.parentId === province.id).map((u) => u.id);
    const lines = caseLines(
      districts,
      10_000_000,
      { carriedOver: 9_874, received: 43_766, entrusted: 368, withdrawn: 6, enforceable: 36_542, done: 30_650 },
      2024,
    );
    writeFileSync(join(hub.importDir, 'province.ndjson'), toNdjson(lines));
    const imported = await gqlData(
      hub.url,
      `mutation { importCaseEvents(path: "province.ndjson") { applied milliseconds } }`,
      undefined,
      bearer('reporter', [1]),
    );
    expect(imported.importCaseEvents.applied).toBe(lines.length);
    const res = await gqlData(hub.url, `query($id: ID!, $year: Int!) { unit(id: $id) { ${stats} } }`, { id: String(province.id), year: 2024 });
    expect(res.unit.caseStats).toEqual({
      carriedOver: 9_874,
      newlyReceived: 43_766,
      totalHandled: 53_640,
      entrustedOut: 368,
      withdrawn: 6,
      toEnforce: 53_266,
      enforceable: 36_542,
      notEnforceable: 16_724,
      done: 30_650,
      carriedToNext: 22_616,
      completionRate: 83.88,
    });
  }, 120000);
});
