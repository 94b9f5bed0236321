#!/usr/bin/env node
// What a write costs this checkout beside the build before this work, alternating in one run:
// single mutations through each build's gateway (latency one at a time, throughput with several in
// flight) and whole imports (`hub bench --what import` of each build). See --help and bench/README.md.
'use strict';
const http = require('node:http'), fs = require('node:fs'), os = require('node:os'), path = require('node:path');
const {
  ROOT, todayInVietnam, sleep, cpuSampler, postgresPids, post, quantile, git, log, run, prepareBaseline, dbUrl,
  recreateDatabase, seed, startHub, stopAll, LOGS,
} = require('./lib/hubs');

const HELP = `Usage: node bench/writes.js [options]

Single writes and imports of this checkout beside the build before this work (--baseline-ref),
in one run, the two builds alternating round by round:
  single writes  receiveCase mutations (dated today, random current wards, a reporter token)
                 through each build's own hub (\`hub start\`, its own database seeded by its own
                 cli): --writes one at a time (latency p50 / p99), then --writes with
                 --concurrency in flight (writes/s), with the CPU of its processes
  imports        \`hub bench --what import --cases N\` of each build into a fresh database of
                 its own: a generated file of demo events through the import path (checks,
                 aggregates, outbox, one transaction), beside a bare COPY of the same rows
The goal this checks: both no worse than 0.8× the build before.

  --rounds N            rounds, the builds' order alternating (default 3)
  --writes N            mutations a series (default 2000: long enough that most of a series runs warm)
  --concurrency C       mutations in flight in the throughput series (default 8)
  --import-cases N      cases of the import benchmark (default 20000: ~166,000 events)
  --cases N             hub seed --cases N for the hubs of the single writes (default 20000)
  --until DATE          seed --until for a build that takes it (default 2025-09-30, the before build's last day)
  --baseline-ref REF    the build before (default 04b0b8b), prepared as bench/reads.js does (shared .bench-cache)
  --targets LIST        writes,imports (default both)
  --pg-url URL          PostgreSQL without a database (default postgres://postgres@127.0.0.1:5432)
  --db-prefix NAME      databases NAME_hub, NAME_before, NAME_import_* (default thads_bench_writes)
  --port P              first port (default 4750; the before hub takes P+10)
  --out FILE            report (default bench/results/writes.md; "-" for none)
  --help
`;

function parseArgs(argv) {
  const o = { rounds: 3, writes: 2000, concurrency: 8, importCases: 20000, cases: 20000, until: '2025-09-30', baselineRef: '04b0b8b', targets: ['writes', 'imports'],
    pgUrl: 'postgres://postgres@127.0.0.1:5432', dbPrefix: 'thads_bench_writes', port: 4750, out: path.join(ROOT, 'bench/results/writes.md'), seed: 'demo' };
  const flags = { '--rounds': 'rounds', '--writes': 'writes', '--concurrency': 'concurrency', '--import-cases': 'importCases', '--cases': 'cases', '--port': 'port' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i], next = () => { if (i + 1 >= argv.length) throw new Error(`${a} needs a value`); return argv[++i]; };
    if (a === '--help' || a === '-h') o.help = true;
    else if (flags[a]) { o[flags[a]] = Number(next()); if (!Number.isInteger(o[flags[a]]) || o[flags[a]] < 1) throw new Error(`${a} needs a whole number`); }
    else if (a === '--until') o.until = next();
    else if (a === '--baseline-ref') o.baselineRef = next();
    else if (a === '--targets') o.targets = next().split(',');
    else if (a === '--pg-url') o.pgUrl = next();
    else if (a === '--db-prefix') o.dbPrefix = next();
    else if (a === '--out') o.out = next() === '-' ? null : path.resolve(argv[i]);
    else throw new Error(`unknown option ${a} (see --help)`);
  }
  return o;
}

const MUTATION = 'mutation($input: ReceiveCaseInput!, $key: String!) { receiveCase(input: $input, idempotencyKey: $key) { id } }';

/** `count` mutations through a hub, `inFlight` at a time; latencies and writes/s, with the CPU of the hub's processes and PostgreSQL. */
async function writeSeries(hub, count, inFlight, label) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: inFlight });
  const headers = { authorization: `Bearer ${hub.token}` }, today = todayInVietnam();
  const stop = cpuSampler({ gateway: () => [hub.gateway], cases: () => [hub.subgraphs.cases], postgres: () => postgresPids([hub.db]) });
  const latencies = []; let failed = 0, firstError, next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < count) {
      const n = next++;
      const ward = hub.wards[n % hub.wards.length];
      const body = Buffer.from(JSON.stringify({ query: MUTATION, variables: { input: { unitId: ward, receivedOn: today, judgmentRef: `${n}/2026/WB` }, key: `writes-${label}-${process.pid}-${n}` } }));
      const t = performance.now();
      const r = await post(agent, hub.url, body, headers, 30_000).catch((err) => ({ status: 0, buf: Buffer.from(String(err)) }));
      if (r.status === 200 && r.buf.includes('"receiveCase":{"id"')) latencies.push(performance.now() - t);
      else { failed++; firstError ??= r.buf.toString('utf8', 0, 300); }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const seconds = (performance.now() - t0) / 1000, cpu = stop();
  agent.destroy(); latencies.sort((a, b) => a - b);
  return { ok: latencies.length, failed, firstError, perSecond: latencies.length / seconds, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99),
    cpuPerWrite: { gateway: (cpu.gateway / latencies.length) * seconds * 1e6, cases: (cpu.cases / latencies.length) * seconds * 1e6, postgres: (cpu.postgres / latencies.length) * seconds * 1e6 } };
}

/** `hub bench --what import` of a build into a fresh database: events/s of the import and of the bare COPY. */
async function importRun(o, build, db) {
  await recreateDatabase(o, db);
  fs.mkdirSync(LOGS, { recursive: true });
  const logFile = path.join(LOGS, `import-${build.name}.log`);
  fs.writeFileSync(logFile, '');
  await run(process.execPath, [path.join(build.dir, 'cli/dist/main.js'), 'bench', '--what', 'import', '--cases', String(o.importCases)], build.dir, logFile, { ...process.env, DATABASE_URL: dbUrl(o, db) });
  const text = fs.readFileSync(logFile, 'utf8');
  const events = Number((/([\d,]+) events\)/.exec(text)?.[1] ?? '').replace(/,/g, ''));
  const rate = Number((/outbox\): ([\d,]+) events\/s/.exec(text)?.[1] ?? '').replace(/,/g, ''));
  const copy = Number((/COPY of the same rows: +([\d,]+) rows\/s/.exec(text)?.[1] ?? '').replace(/,/g, ''));
  return { events, rate, copy };
}

const fmt = (v, d = 0) => (v === undefined || v === null || Number.isNaN(v) ? '–' : v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }));
const median = (xs) => { const v = xs.filter((x) => x !== undefined && !Number.isNaN(x)).sort((a, b) => a - b); return v.length ? (v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2) : undefined; };

function report(o, ctx, rows) {
  const L = [];
  const med = (build, kind, pick) => median(rows.filter((r) => r.build === build && r.kind === kind).map(pick));
  const ratio = (kind, pick, inverse = false) => { const h = med('hub', kind, pick), b = med('before', kind, pick); return h && b ? `${fmt(inverse ? b / h : h / b, 2)}×` : '–'; };
  L.push('# Writes: this build beside the build before, alternating', '', 'Written by `bench/writes.js` (see its `--help`); each run replaces this file.', '',
    `- Date: ${ctx.date}; run took ${fmt(ctx.minutes, 1)} min`,
    `- Machine: nproc ${ctx.nproc} (${ctx.cpu}), Node ${process.version}`,
    `- Command: \`node bench/writes.js ${process.argv.slice(2).join(' ')}\``,
    `- Builds: hub = ${ctx.hubSha} (this checkout${ctx.dirty ? ', with uncommitted changes' : ''}); before = ${ctx.beforeSha} (--baseline-ref ${o.baselineRef})`,
    `- Single writes: receiveCase dated ${todayInVietnam()} through each build's gateway, ${o.writes} one at a time then ${o.writes} with ${o.concurrency} in flight, ${o.rounds} round(s); hubs seeded with their own cli (--cases ${o.cases}${ctx.untilNote})`,
    `- Imports: \`hub bench --what import --cases ${o.importCases}\` of each build into a fresh database, ${o.rounds} round(s)`, '',
    '## Summary (medians; ratios hub ÷ before, above 1 favours the hub; the goal: ≥ 0.8×)', '',
    '| measure | hub | before | ratio |', '|---|--:|--:|--:|');
  if (o.targets.includes('writes')) {
    L.push(`| single write latency p50, ms (one in flight) | ${fmt(med('hub', 'serial', (r) => r.p50), 1)} | ${fmt(med('before', 'serial', (r) => r.p50), 1)} | ${ratio('serial', (r) => r.p50, true)} |`,
      `| single write latency p99, ms (one in flight) | ${fmt(med('hub', 'serial', (r) => r.p99), 1)} | ${fmt(med('before', 'serial', (r) => r.p99), 1)} | ${ratio('serial', (r) => r.p99, true)} |`,
      `| writes/s, ${o.concurrency} in flight | ${fmt(med('hub', 'parallel', (r) => r.perSecond))} | ${fmt(med('before', 'parallel', (r) => r.perSecond))} | ${ratio('parallel', (r) => r.perSecond)} |`);
  }
  if (o.targets.includes('imports')) L.push(`| import, events/s | ${fmt(med('hub', 'import', (r) => r.rate))} | ${fmt(med('before', 'import', (r) => r.rate))} | ${ratio('import', (r) => r.rate)} |`);
  L.push('', '(Latency ratios are before ÷ hub, so that above 1 favours the hub there too.)', '', '## Every run', '',
    '| round | build | series | ok / failed | p50 ms | p99 ms | writes/s (events/s for imports) | CPU µs a write: gateway / cases / PostgreSQL | bare COPY rows/s |', '|--:|---|---|--:|--:|--:|--:|--:|--:|');
  for (const r of rows) {
    if (r.kind === 'import') L.push(`| ${r.round} | ${r.build} | import of ${fmt(r.events)} events | – | – | – | ${fmt(r.rate)} | – | ${fmt(r.copy)} |`);
    else L.push(`| ${r.round} | ${r.build} | ${r.kind === 'serial' ? 'one at a time' : `${o.concurrency} in flight`} | ${fmt(r.ok)} / ${fmt(r.failed)} | ${fmt(r.p50, 1)} | ${fmt(r.p99, 1)} | ${fmt(r.perSecond)} | ${fmt(r.cpuPerWrite.gateway)} / ${fmt(r.cpuPerWrite.cases)} / ${fmt(r.cpuPerWrite.postgres)} | – |`);
  }
  const firstError = rows.find((r) => r.firstError)?.firstError;
  if (firstError) L.push('', `First error: ${firstError}`);
  return L.join('\n') + '\n';
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (o.help) { process.stdout.write(HELP); return; }
  const t0 = Date.now();
  const hubSha = git(['rev-parse', 'HEAD']), beforeSha = git(['rev-parse', `${o.baselineRef}^{commit}`]);
  const builds = [{ name: 'hub', dir: ROOT }, { name: 'before', dir: await prepareBaseline(o, beforeSha) }];
  process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));
  const rows = [];
  try {
    const hubs = {};
    if (o.targets.includes('writes')) {
      for (const [i, b] of builds.entries()) {
        const db = `${o.dbPrefix}_${b.name}`;
        await recreateDatabase(o, db);
        log(`${b.name}: seeding ${db} with its own cli…`);
        await seed(o, b, db);
        hubs[b.name] = await startHub(o, b, db, o.port + 10 * i);
        const { Client } = require('pg');
        const c = new Client({ connectionString: dbUrl(o, db) });
        await c.connect();
        hubs[b.name].wards = (await c.query(`SELECT id::text FROM org_units.org_unit WHERE type = 'WARD' AND valid_to IS NULL ORDER BY id`)).rows.map((r) => r.id);
        await c.end();
        log(`${b.name}: hub up at ${hubs[b.name].url}`);
        await writeSeries(hubs[b.name], 50, 4, `warm-${b.name}`); // connections, prepared statements, JIT
      }
    }
    for (let round = 1; round <= o.rounds; round++) {
      const order = round % 2 ? builds : [...builds].reverse();
      for (const b of order) {
        if (o.targets.includes('writes')) {
          for (const [kind, inFlight] of [['serial', 1], ['parallel', o.concurrency]]) {
            const r = await writeSeries(hubs[b.name], o.writes, inFlight, `${b.name}-${round}-${kind}`);
            rows.push({ round, build: b.name, kind, ...r });
            log(`round ${round} ${b.name} ${kind}: ${fmt(r.perSecond)} writes/s, p50 ${fmt(r.p50, 1)} ms, p99 ${fmt(r.p99, 1)} ms, ${r.failed} failed`);
          }
        }
      }
      for (const b of order) {
        if (!o.targets.includes('imports')) continue;
        const r = await importRun(o, b, `${o.dbPrefix}_import_${b.name}`);
        rows.push({ round, build: b.name, kind: 'import', ...r });
        log(`round ${round} ${b.name} import: ${fmt(r.rate)} events/s (bare COPY ${fmt(r.copy)} rows/s)`);
      }
    }
  } finally {
    await stopAll();
  }
  const dirty = git(['status', '--porcelain', '--untracked-files=no']).length > 0;
  const ctx = { date: new Date().toISOString(), minutes: (Date.now() - t0) / 60000, nproc: os.availableParallelism(), cpu: os.cpus()[0]?.model ?? '?', hubSha, beforeSha, dirty,
    untilNote: `, --until ${o.until} for a build that takes it` };
  const text = report(o, ctx, rows);
  process.stdout.write(text);
  if (o.out) fs.writeFileSync(o.out, text);
}

main().catch(async (err) => {
  console.error(err.stack ?? String(err));
  await stopAll().catch(() => {});
  process.exit(1);
});
