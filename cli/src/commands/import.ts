import { createReadStream, statSync } from 'node:fs';
import { EventLineParser, Progress, eventFormatOf, forEachLine, type EventRecord } from '@thads/kit';
import { applyCaseCommands, casesDataSource, caseCommandsOf } from '@thads/cases';
import { applyComplaintCommands, complaintCommandsOf } from '@thads/complaints';
import { applyMoneyCommands, moneyCommandsOf } from '@thads/finances';
import { migrateAll } from './migrate';

export interface ImportSummary {
  lines: number;
  cases: number;
  money: number;
  complaints: number;
  seconds: number;
  perSecond: number;
}

/** The operator's own file, read line by line like the import mutations read theirs. */
async function readLocalFile(path: string): Promise<EventRecord[]> {
  const parser = new EventLineParser(eventFormatOf(path));
  const progress = new Progress('read ', statSync(path).size, 'bytes');
  await forEachLine(
    createReadStream(path, { highWaterMark: 64 * 1024 }),
    (chunk) => progress.tick(chunk.length),
    (line, n) => parser.push(line, n),
  );
  progress.finish();
  return parser.finish();
}

/**
 * Imports an NDJSON or CSV event file into all three services in ONE transaction (they
 * share the database, each in its own schema): every line is checked as the mutations
 * check it, and any bad line leaves the database as it was.
 */
export async function importFile(url: string, path: string, log: (line: string) => void): Promise<ImportSummary> {
  await migrateAll(url, () => {});
  const started = Date.now();
  const records = await readLocalFile(path);
  const cases = caseCommandsOf(records).commands;
  const money = moneyCommandsOf(records).commands;
  const complaints = complaintCommandsOf(records).commands;
  const unknown = records.length - cases.length - money.length - complaints.length;
  if (unknown > 0) {
    const line = records.find((r) => typeof r.fields.event !== 'string' || !/^(CASE_|MONEY_|PETITION_|CITIZENS_)/.test(String(r.fields.event)))?.line;
    throw new Error(
      `Line ${line}: unknown event "${String(records.find((r) => r.line === line)?.fields.event)}"; events start with CASE_, MONEY_, PETITION_ or CITIZENS_. Nothing was imported.`,
    );
  }
  const n = (x: number) => x.toLocaleString('en');
  log(`read ${n(records.length)} lines: ${n(cases.length)} case, ${n(money.length)} money, ${n(complaints.length)} complaint events`);
  const db = casesDataSource(url, 1);
  await db.initialize();
  // Each service's events are checked and written in one go: the bar moves a service at a
  // time, and is drawn again every second meanwhile (its elapsed time and rate).
  const progress = new Progress('write', records.length, 'events');
  const redraw = setInterval(() => progress.tick(0), 1000);
  try {
    await db.transaction(async (tx) => {
      await applyCaseCommands(tx, cases);
      progress.tick(cases.length);
      await applyMoneyCommands(tx, money);
      progress.tick(money.length);
      await applyComplaintCommands(tx, complaints);
      progress.tick(complaints.length);
    });
    progress.finish();
  } finally {
    clearInterval(redraw);
    await db.destroy();
  }
  const seconds = (Date.now() - started) / 1000;
  return {
    lines: records.length,
    cases: cases.length,
    money: money.length,
    complaints: complaints.length,
    seconds,
    perSecond: Math.round(records.length / seconds),
  };
}
