#!/usr/bin/env node
// Soak: the whole hub under reads, writes and live subscribers at once for a while, then checks
// that nothing failed, memory stayed flat, every maintained figure equals a recomputation from
// the raw events and every subscriber ended on the final value. Exits 1 when any check fails.
// See --help; bench/results/soak.md keeps the latest run.
'use strict';
const fs = require('node:fs'), http = require('node:http'), path = require('node:path');
const { execFile } = require('node:child_process');
const { createClient } = require('graphql-ws');
const WebSocket = require('ws');
const {
  ROOT, log, sleep, todayInVietnam, statisticalYearOf, post, gql, startWriter, recreateDatabase, seed, startHub, stopAll, dbUrl, quantile,
} = require('./lib/hubs');

const HELP = `Usage: npm run soak -- [options]   (node bench/soak.js)

Starts this checkout's hub (node cli/dist/main.js start) on a fresh database seeded with its own
\`hub seed\`, then for --minutes at once:
  writes       --writes-per-second receiveCase mutations on the wards of --provinces provinces
  reads        --readers connections asking, in turn, the national ranking and a province with
               its wards, each sending its next request when the previous answer arrived
  live         --subscribers liveUnit subscriptions over --connections graphql-ws connections,
               spread over the same provinces (the figures the writes change)
and samples every process's resident memory every 5 s. At the end it checks:
  - no read, write or subscription failed;
  - each process's memory after the warm-up (the first 40 % of the run) grows by at most
    --max-slope MB a minute (least-squares slope, reported for each process);
  - \`hub verify\` finds every maintained figure equal to its recomputation from the raw events;
  - every subscriber's last value equals the value a fresh query reads, within 30 s of the last write.
Writes bench/results/soak.md and exits 1 when a check fails.

  --minutes M             length of the loaded run (default 10; CI runs 2)
  --writes-per-second N   default 20
  --readers N             default 4
  --subscribers N         default 1000
  --connections N         graphql-ws connections carrying them (default 50)
  --provinces N           provinces written to and watched (default 8)
  --cases N               demo cases seeded first (default 5000)
  --port P                gateway port; the subgraphs take the next four (default 4760)
  --pg-url URL            PostgreSQL to make the soak database in (default $PG_URL or
                          postgres://postgres@127.0.0.1:5432/postgres)
  --max-slope MB          allowed memory growth a minute after the warm-up (default 10)
  --heap-mb N             V8 old space of every process of the hub (NODE_OPTIONS
                          --max-old-space-size), as a deployment sets it (default 256): without
                          a cap V8 grows its heap lazily toward ~4 GB on this machine, which
                          reads as growth though it is garbage not yet collected; with one, a
                          leak ends in an out-of-memory crash the soak sees (failed requests and
                          subscriptions)
  -h, --help              this text
`;

function options(argv) {
  const o = { minutes: 10, writes: 20, readers: 4, subscribers: 1000, connections: 50, provinces: 8, cases: 5000, port: 4760,
    pgUrl: process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', maxSlope: 10, heapMb: 256 };
  const names = { '--minutes': 'minutes', '--writes-per-second': 'writes', '--readers': 'readers', '--subscribers': 'subscribers', '--connections': 'connections',
    '--provinces': 'provinces', '--cases': 'cases', '--port': 'port', '--pg-url': 'pgUrl', '--max-slope': 'maxSlope', '--heap-mb': 'heapMb' };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '-h' || argv[i] === '--help') { process.stdout.write(HELP); process.exit(0); }
    const key = names[argv[i]];
    if (!key || argv[i + 1] === undefined) { process.stderr.write(`Unknown option or missing value: ${argv[i]}\n\n${HELP}`); process.exit(2); }
    o[key] = key === 'pgUrl' ? argv[++i] : Number(argv[++i]);
    if (key !== 'pgUrl' && !(o[key] > 0)) { process.stderr.write(`${argv[i - 1]} must be a positive number\n`); process.exit(2); }
  }
  return { ...o, seed: 'soak', until: todayInVietnam() };
}

/** Resident memory of a process, MB; undefined once it is gone. */
function rssMb(pid) {
  try { return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024; } catch { return undefined; }
}

/** Least-squares slope of (t minutes, y) points. */
function slope(points) {
  const n = points.length;
  if (n < 3) return NaN;
  const mt = points.reduce((s, p) => s + p[0], 0) / n, my = points.reduce((s, p) => s + p[1], 0) / n;
  const num = points.reduce((s, p) => s + (p[0] - mt) * (p[1] - my), 0), den = points.reduce((s, p) => s + (p[0] - mt) ** 2, 0);
  return den ? num / den : NaN;
}

/** A progress line with the rate and the time left, rewritten in place on a terminal. */
function progress(label, done, total, started, extra) {
  const elapsed = (Date.now() - started) / 1000, left = Math.max(0, total - done);
  const line = `${label} ${Math.round((100 * done) / total)}% [${'#'.repeat(Math.round((20 * done) / total)).padEnd(20)}] ${extra} · ${Math.round(left)} s left (${Math.round(elapsed)} s in)`;
  if (process.stderr.isTTY) process.stderr.write(`\r${line}`);
  else if (Math.round(done) % 15 === 0) process.stderr.write(`${line}\n`);
}

const READS = (year, code) => [
  { query: `{ caseRanking(period:{year:${year}}) { rank value unit { id name } } moneyRanking(period:{year:${year}}) { rank value unit { id name } } }` },
  { query: `query($code:String!){ unitByCode(code:$code){ id name caseStats(period:{year:${year}}){ done } children { id caseStats(period:{year:${year}}){ done } } } }`, variables: { code } },
];
const LIVE = (year) => `subscription($id: ID!) { liveUnit(id: $id) { id caseStats(period: { year: ${year} }) { newlyReceived } } }`;
const CURRENT = (year) => `query($id: ID!) { unit(id: $id) { caseStats(period: { year: ${year} }) { newlyReceived } } }`;

async function main() {
  const o = options(process.argv.slice(2));
  const year = statisticalYearOf(todayInVietnam());
  const t0 = Date.now();
  const db = 'thads_soak';
  log(`soak: ${o.minutes} min, ${o.writes} writes/s, ${o.readers} readers, ${o.subscribers} subscribers on ${o.connections} connections, ${o.provinces} provinces`);
  await recreateDatabase(o, db);
  const build = { name: 'soak', dir: ROOT };
  // Every process of the hub (the seed's too) gets the heap a deployment would give it.
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=${o.heapMb}`.trim();
  const seeded = await seed(o, build, db);
  log(`seeded ${seeded.cases} cases in ${seeded.seconds.toFixed(1)} s`);
  const hub = await startHub(o, build, db, o.port);
  const failures = [];
  try {
    // The provinces written to and watched, and their wards.
    const { units } = await gql(hub.url, '{ units(type: WARD) { id parent { id code } } }');
    const byProvince = new Map();
    for (const w of units) byProvince.set(w.parent.id, [...(byProvince.get(w.parent.id) ?? []), Number(w.id)]);
    const provinces = [...byProvince.keys()].slice(0, o.provinces);
    const codes = new Map(units.map((w) => [w.parent.id, w.parent.code]));
    hub.wards = provinces.flatMap((p) => byProvince.get(p));

    // Live subscribers: the last value each one received.
    const subs = [];
    const clients = [];
    const perConnection = Math.ceil(o.subscribers / o.connections);
    for (let c = 0; c < o.connections; c++) {
      const client = createClient({ url: hub.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, lazy: false, retryAttempts: 0, keepAlive: 10_000 });
      clients.push(client);
      for (let s = 0; s < perConnection && subs.length < o.subscribers; s++) {
        const sub = { province: provinces[subs.length % provinces.length], last: undefined, messages: 0, error: undefined, done: false };
        subs.push(sub);
        client.subscribe({ query: LIVE(year), variables: { id: sub.province } }, {
          next: (msg) => {
            sub.messages++;
            if (msg.errors) sub.error ??= JSON.stringify(msg.errors).slice(0, 300);
            else sub.last = msg.data.liveUnit.caseStats.newlyReceived;
          },
          error: (err) => { sub.error ??= String(err?.message ?? err?.reason ?? err); },
          complete: () => { sub.done = true; },
        });
      }
    }
    for (let i = 0; i < 300 && subs.some((s) => s.last === undefined && !s.error); i++) await sleep(100);
    const unanswered = subs.filter((s) => s.last === undefined).length;
    if (unanswered) failures.push(`${unanswered} subscriptions got no first value in 30 s`);
    log(`${subs.length} subscriptions live`);

    // Memory of every process of the hub.
    const pids = { gateway: hub.gateway, ...hub.subgraphs, cli: hub.cli };
    const memory = Object.fromEntries(Object.keys(pids).map((k) => [k, []]));
    const sample = () => { const t = (Date.now() - loadStart) / 60000; for (const [k, pid] of Object.entries(pids)) { const mb = rssMb(pid); if (mb !== undefined) memory[k].push([t, mb]); } };

    // Readers and the writer, for the run's length.
    const loadStart = Date.now(), end = loadStart + o.minutes * 60_000, loadStartPerf = performance.now();
    const writer = startWriter(hub, o.writes, 16, `soak-${Date.now()}`);
    const reads = { ok: 0, failed: 0, firstError: undefined, latencies: [] };
    const agent = new http.Agent({ keepAlive: true, maxSockets: o.readers });
    const readers = Array.from({ length: o.readers }, async (_v, r) => {
      for (let i = r; Date.now() < end; i++) {
        const body = Buffer.from(JSON.stringify(READS(year, codes.get(provinces[i % provinces.length]))[i % 2]));
        const t = performance.now();
        try {
          const res = await post(agent, hub.url, body);
          if (res.status === 200 && !res.buf.includes('"errors"')) { reads.ok++; reads.latencies.push(performance.now() - t); }
          else { reads.failed++; reads.firstError ??= `HTTP ${res.status} ${res.buf.toString('utf8', 0, 300)}`; }
        } catch (err) { reads.failed++; reads.firstError ??= String(err); }
      }
    });
    const sampler = setInterval(sample, 5000);
    sample();
    const ticker = setInterval(() => progress('soak', (Date.now() - loadStart) / 1000, o.minutes * 60, loadStart, `${reads.ok} reads, ${subs.reduce((s, x) => s + x.messages, 0)} live messages`), 1000);
    await Promise.all(readers);
    clearInterval(ticker);
    if (process.stderr.isTTY) process.stderr.write('\n');
    const written = writer.stats(loadStartPerf, performance.now());
    await writer.stop();
    sample();
    clearInterval(sampler);
    agent.destroy();
    log(`load done: ${reads.ok} reads (${reads.failed} failed), ${written.ok} writes (${written.failed} failed, ${written.notSent} not sent in time)`);
    if (reads.failed) failures.push(`${reads.failed} reads failed, the first: ${reads.firstError}`);
    if (written.failed) failures.push(`${written.failed} writes failed, the first: ${written.firstError}`);
    if (written.notSent) failures.push(`${written.notSent} writes could not be sent in time (the hub fell behind ${o.writes}/s)`);

    // Every subscriber on the final value.
    const finals = new Map();
    let behind = [];
    for (let i = 0; i < 60; i++) {
      for (const p of provinces) finals.set(p, (await gql(hub.url, CURRENT(year), { id: p })).unit.caseStats.newlyReceived);
      behind = subs.filter((s) => s.last !== finals.get(s.province));
      if (!behind.length) break;
      await sleep(500);
    }
    if (behind.length) failures.push(`${behind.length} subscribers are not on the final value 30 s after the last write (e.g. province ${behind[0].province}: ${behind[0].last} against ${finals.get(behind[0].province)})`);
    const subErrors = subs.filter((s) => s.error || s.done);
    if (subErrors.length) failures.push(`${subErrors.length} subscriptions failed or ended, the first: ${subErrors[0].error ?? 'completed by the server'}`);
    for (const client of clients) await client.dispose();

    // Memory after the warm-up.
    const slopes = Object.fromEntries(Object.entries(memory).map(([k, pts]) => {
      const warm = pts.filter((p) => p[0] >= 0.4 * o.minutes);
      return [k, { slope: slope(warm), first: pts[0]?.[1], last: pts.at(-1)?.[1], max: Math.max(...pts.map((p) => p[1])) }];
    }));
    for (const [k, s] of Object.entries(slopes)) if (s.slope > o.maxSlope) failures.push(`${k}'s memory grew ${s.slope.toFixed(1)} MB a minute after the warm-up (limit ${o.maxSlope})`);

    // Every maintained figure against the raw events.
    const verify = await new Promise((resolve) => execFile(process.execPath, [path.join(ROOT, 'cli/dist/main.js'), 'verify'], { env: { ...process.env, DATABASE_URL: dbUrl(o, db) }, maxBuffer: 1 << 24 },
      (err, stdout, stderr) => resolve({ code: err ? err.code ?? 1 : 0, text: `${stdout}${stderr}` })));
    if (verify.code !== 0) failures.push(`hub verify found differences:\n${verify.text.split('\n').filter((l) => /differ|✗/.test(l)).slice(0, 10).join('\n')}`);
    const verifySummary = verify.text.trim().split('\n').at(-1);

    const lat = reads.latencies.sort((a, b) => a - b);
    const report = [
      '# Soak: reads, writes and live subscribers at once',
      '',
      'Written by `bench/soak.js` (`npm run soak -- --help`); each run replaces this file.',
      '',
      `- Date: ${new Date().toISOString()}; run took ${((Date.now() - t0) / 60000).toFixed(1)} min`,
      `- Command: \`node bench/soak.js ${process.argv.slice(2).join(' ')}\``,
      `- Load: ${o.minutes} min; ${o.writes} receiveCase/s on the wards of ${provinces.length} provinces; ${o.readers} readers (national ranking, a province with its wards, in turn); ${subs.length} liveUnit subscriptions on ${o.connections} graphql-ws connections`,
      `- Data: \`hub seed --cases ${o.cases}\` (${seeded.cases} cases), year ${year}`,
      `- Memory: every process of the hub ran with NODE_OPTIONS=--max-old-space-size=${o.heapMb} (--heap-mb), as a deployment would; sampled every 5 s, slope over the last 60 % of the run`,
      '',
      '| check | result |',
      '|---|---|',
      `| reads | ${reads.ok.toLocaleString('en')} ok, ${reads.failed} failed; p50 ${quantile(lat, 0.5)?.toFixed(1)} ms, p99 ${quantile(lat, 0.99)?.toFixed(1)} ms |`,
      `| writes | ${written.ok.toLocaleString('en')} ok, ${written.failed} failed, ${written.notSent} not sent in time; p50 ${written.rttP50?.toFixed(1)} ms, p99 ${written.rttP99?.toFixed(1)} ms |`,
      `| live | ${subs.reduce((s, x) => s + x.messages, 0).toLocaleString('en')} messages; ${subs.length - behind.length} of ${subs.length} subscribers on the final value; ${subErrors.length} failed |`,
      `| hub verify | ${verify.code === 0 ? 'no difference' : 'DIFFERENCES'}: ${verifySummary} |`,
      '',
      '| process | RSS at start MB | at end MB | max MB | slope after warm-up, MB/min |',
      '|---|--:|--:|--:|--:|',
      ...Object.entries(slopes).map(([k, s]) => `| ${k} | ${s.first?.toFixed(0)} | ${s.last?.toFixed(0)} | ${s.max.toFixed(0)} | ${s.slope.toFixed(2)} |`),
      '',
      failures.length ? `**Failed** (${failures.length}):\n\n${failures.map((f) => `- ${f}`).join('\n')}` : '**Passed**: no failed request, memory flat, every figure verified, every subscriber on the final value.',
      '',
    ].join('\n');
    fs.mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
    fs.writeFileSync(path.join(ROOT, 'bench', 'results', 'soak.md'), report);
    process.stdout.write(`${report}\n`);
  } finally {
    await stopAll();
    const { adminQuery } = require('./lib/hubs');
    await adminQuery(o, `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).catch(() => {});
  }
  log(failures.length ? `soak FAILED: ${failures.length} check(s)` : 'soak passed');
  process.exit(failures.length ? 1 : 0);
}

main().catch(async (err) => {
  process.stderr.write(`soak: ${err.stack ?? err}\n`);
  await stopAll();
  process.exit(1);
});
