#!/usr/bin/env node
// What a write costs this checkout beside the build before this work, alternating in one run:
// single mutations through each build's gateway (latency one at a time, throughput with several in
// flight) and whole imports (`hub bench --what import` of each build). See --help and bench/README.md.
'use strict';
const http = require('node:http'), fs = require('node:fs'), os = require('node:os'), path = require('node:path');
const {
  ROOT, todayInVietnam, sleep, cpuSampler, postgresPids, post, quantile, git, log, run, prepareBaseline, dbUrl,
  recreateDatabase, seed, startHub, stopAll, LOGS, adminQuery,
} = require('./lib/hubs');

const HELP = `Usage: node bench/writes.js [options]

Single writes and imports of this checkout beside the build before this work (--baseline-ref),
in one run, the two builds alternating round by round:
  single writes  receiveCase mutations (dated today, random current wards, a reporter token)
                 through each build's own hub (\`hub start\`, its own database seeded by its own
                 cli): --writes one at a time (latency p50 / p99), then --writes with
                 --concurrency in flight (writes/s), with the CPU of its processes
  imports        the same file into both: \`hub import --file F\` of each build into a fresh
                 database holding only its units, F generated once by the build before's
                 demo generator (its district and ward units, which this build keeps with the
                 same ids); then each build's own \`hub bench --what import --cases N\` (its own
                 demo data: this build's history sits at the old communes, whose deltas reach
                 twice the rollup rows, so that pair is not like for like). Every import goes
                 through the import path (checks, aggregates, outbox, one transaction) after a
                 CHECKPOINT (a checkpoint of the run before made imports 30% slower at random)
The goal this checks: both no worse than 0.8× the build before (the imports: on the same file).

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
  await adminQuery(o, 'CHECKPOINT');
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

const IMPORT_FILE = path.join(__dirname, 'lib/import-file.js');

/** A database of a build's migrations and units, nothing else. */
async function unitsOnly(o, build, db, logFile) {
  await recreateDatabase(o, db);
  const env = { ...process.env, DATABASE_URL: dbUrl(o, db) };
  await run(process.execPath, [path.join(build.dir, 'cli/dist/main.js'), 'migrate'], build.dir, logFile, env);
  await run(process.execPath, [IMPORT_FILE, 'units'], build.dir, logFile, env);
  return env;
}

/** The file both builds import: the build before's demo events of --import-cases cases. */
async function sameFile(o, before) {
  fs.mkdirSync(LOGS, { recursive: true });
  const logFile = path.join(LOGS, 'import-file.log');
  fs.writeFileSync(logFile, '');
  const file = path.join(ROOT, '.bench-cache', `import-same-${o.importCases}.ndjson`);
  const env = await unitsOnly(o, before, `${o.dbPrefix}_import_file`, logFile);
  await run(process.execPath, [IMPORT_FILE, 'generate', file, String(o.importCases)], before.dir, logFile, env);
  return file;
}

/** `hub import --file` of a build into a fresh database holding its units only: events and events/s. */
async function sameFileRun(o, build, file) {
  const logFile = path.join(LOGS, `import-same-${build.name}.log`);
  fs.writeFileSync(logFile, '');
  const env = await unitsOnly(o, build, `${o.dbPrefix}_import_${build.name}`, logFile);
  await adminQuery(o, 'CHECKPOINT');
  await run(process.execPath, [path.join(build.dir, 'cli/dist/main.js'), 'import', '--file', file], build.dir, logFile, env);
  const m = /imported ([\d,]+) events .* in [\d.]+s: ([\d,]+) events\/s/.exec(fs.readFileSync(logFile, 'utf8'));
  return { events: Number((m?.[1] ?? '').replace(/,/g, '')), rate: Number((m?.[2] ?? '').replace(/,/g, '')) };
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
    `- Imports, the same file: \`hub import --file\` of ${ctx.sameFile ?? '–'} (the build before's demo events of ${o.importCases} cases) by each build into a fresh database of its units, ${o.rounds} round(s)`,
    `- Imports, each build's own demo: \`hub bench --what import --cases ${o.importCases}\` of each build into a fresh database, ${o.rounds} round(s) (not like for like: different events)`, '',
    '## Summary (medians; ratios hub ÷ before, above 1 favours the hub; the goal: ≥ 0.8×)', '',
    '| measure | hub | before | ratio |', '|---|--:|--:|--:|');
  if (o.targets.includes('writes')) {
    L.push(`| single write latency p50, ms (one in flight) | ${fmt(med('hub', 'serial', (r) => r.p50), 1)} | ${fmt(med('before', 'serial', (r) => r.p50), 1)} | ${ratio('serial', (r) => r.p50, true)} |`,
      `| single write latency p99, ms (one in flight) | ${fmt(med('hub', 'serial', (r) => r.p99), 1)} | ${fmt(med('before', 'serial', (r) => r.p99), 1)} | ${ratio('serial', (r) => r.p99, true)} |`,
      `| writes/s, ${o.concurrency} in flight | ${fmt(med('hub', 'parallel', (r) => r.perSecond))} | ${fmt(med('before', 'parallel', (r) => r.perSecond))} | ${ratio('parallel', (r) => r.perSecond)} |`);
  }
  if (o.targets.includes('imports'))
    L.push(`| import of the same file, events/s | ${fmt(med('hub', 'import-same', (r) => r.rate))} | ${fmt(med('before', 'import-same', (r) => r.rate))} | ${ratio('import-same', (r) => r.rate)} |`,
      `| import of each build's own demo, events/s (different events) | ${fmt(med('hub', 'import', (r) => r.rate))} | ${fmt(med('before', 'import', (r) => r.rate))} | ${ratio('import', (r) => r.rate)} |`);
  L.push('', '(Latency ratios are before ÷ hub, so that above 1 favours the hub there too.)', '', '## Every run', '',
    '| round | build | series | ok / failed | p50 ms | p99 ms | writes/s (events/s for imports) | CPU µs a write: gateway / cases / PostgreSQL | bare COPY rows/s |', '|--:|---|---|--:|--:|--:|--:|--:|--:|');
  for (const r of rows) {
    if (r.kind === 'import-same') L.push(`| ${r.round} | ${r.build} | import of the same file, ${fmt(r.events)} events | – | – | – | ${fmt(r.rate)} | – | – |`);
    else if (r.kind === 'import') L.push(`| ${r.round} | ${r.build} | import of its own demo, ${fmt(r.events)} events | – | – | – | ${fmt(r.rate)} | – | ${fmt(r.copy)} |`);
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
  let file;
  try {
    const hubs = {};
    if (o.targets.includes('imports')) {
      file = await sameFile(o, builds[1]);
      log(`imports: the same file ${path.relative(ROOT, file)}, generated by the build before`);
    }
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
        const r = await sameFileRun(o, b, file);
        rows.push({ round, build: b.name, kind: 'import-same', ...r });
        log(`round ${round} ${b.name} import of the same file: ${fmt(r.rate)} events/s`);
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
    untilNote: `, --until ${o.until} for a build that takes it`, sameFile: file && path.relative(ROOT, file) };
  const text = report(o, ctx, rows);
  process.stdout.write(text);
  if (o.out) fs.writeFileSync(o.out, text);
}

main().catch(async (err) => {
  console.error(err.stack ?? String(err));
  await stopAll().catch(() => {});
  process.exit(1);
});
