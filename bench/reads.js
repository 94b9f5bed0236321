#!/usr/bin/env node
// Read latency and throughput of the hub through its gateway, while a writer commits receiveCase
// mutations, beside the build before this work, a naive SQL server over the raw events and a bare
// HTTP server returning the hub's own bytes: one command, one run. See --help and bench/README.md.
//
// One file, three roles:
//   parent (default)   prepares the builds and databases, starts the hubs, verifies the answers,
//                      generates the load and the writes, samples /proc, reports;
//   --serve naive      an HTTP server answering each read with one SQL statement over the raw
//                      events (a GROUP BY per family, no pre-aggregated table);
//   --serve bare       an HTTP server returning the bytes the hub answered, captured once.
'use strict';
const http = require('node:http'), fs = require('node:fs'), os = require('node:os'), path = require('node:path');
const { fork, execFileSync } = require('node:child_process');
const { randomUUID } = require('node:crypto');

const {
  ROOT, LOGS, todayInVietnam, statisticalYearOf, sleep, procCpu, parentOf, machineTicks, pidOfPort, postgresPids, cpuSampler, waitIdle,
  ERRORS, post, gql, getStatus, quantile, load, startWriter, signToken, git, log, run, prepareBaseline, ANALYZED, dbUrl, adminQuery,
  recreateDatabase, seed, started, portFree, startHub, alive, stopAll,
} = require('./lib/hubs');
const TARGETS = ['hub', 'before', 'naive', 'bare'];
const READS = ['a', 'b', 'c'];

const HELP = `Usage: node bench/reads.js [options]

Measures the hub's reads through its gateway at N keep-alive connections (each sends its next
request when the previous answer has arrived), while a writer commits receiveCase mutations
through a gateway, for four targets in the same run:
  hub     this checkout's hub (node cli/dist/main.js start), on a database of its own, seeded
          first with this checkout's \`hub seed --cases N --seed demo\`
  before  the build of --baseline-ref, prepared once in --cache (git archive, npm ci,
          npm run build; reused while its marker file is there), seeded with ITS OWN cli into a
          database of its own, its own hub on other ports
  naive   a small HTTP server (a child process of this script) answering each read with one SQL
          statement straight over the raw events (cases.case_event, finances.money_event,
          org_units.rollup_edge): no pre-aggregated table. Its figures are checked equal to the
          hub's before anything is timed
  bare    a node:http server returning the exact bytes the hub answered for the read: the
          HTTP limit of this machine with this load generator
Reads (Y = --year):
  a  caseRanking + moneyRanking of the 34 provinces (cases, finances, org-units)
  b  a province (--province) with its wards: caseStats, moneyStats, children (three subgraphs)
  c  every current ward with caseStats { done } (~3,321 wards, two subgraphs)
During every timed run, --writes-per-second receiveCase mutations (dated today in Vietnam, on
random current wards, a reporter token for unit 1) go through the gateway of the target being
measured; for naive and bare through the hub target's gateway, so the machine carries the same
write load. Both hubs stay up; only the target being measured gets reads and writes.

Hubs are started with RATE_LIMIT_PER_MINUTE=0, random AUTH_JWT_SECRET and IDENTITY_SECRET,
without --secure (anonymous callers read as the ministry), MAX_COST only with --max-cost.
Ports: hub --port P (subgraphs P+1..P+4), before P+10 (P+11..P+14), naive P+20, bare P+21.

  --targets LIST          hub,before,naive,bare (default all four; naive and bare need the hub's
                          hub, which is then started even when hub is not in the list)
  --reads LIST            a,b,c (default all three)
  --rounds N              every timed run N times, the targets' order alternating (default 1);
                          the summary takes medians
  --duration S            seconds of each timed run (default 15)
  --warmup S              seconds of untimed load before each timed run (default 3)
  --single-duration S     seconds of the single-client run after each timed run (1 connection,
                          at least 3 requests; default 5; 0 = none)
  --connections N         keep-alive connections of the timed runs (default 10)
  --writes-per-second R   receiveCase mutations a second during the runs (default 50; 0 = none)
  --write-concurrency C   mutations in flight at most (default 128: under read load a mutation's
                          round trip reaches seconds, and 50/s must still go out)
  --cases N               hub seed --cases N, for both databases (default 20000)
  --seed TEXT             hub seed --seed TEXT (default demo)
  --year Y                statistical year of the reads (default: the current one, which the
                          writes, dated today, fall in: every write can change every read;
                          2025, a year the writes do not reach, shows the other case)
  --until DATE            last day of the demo data, for a build whose seed takes --until
                          (default 2025-09-30, where the before build's demo data ends: both
                          databases hold the same facts)
  --province CODE         the province of read b (default ho-chi-minh-city, 161 wards in the demo data)
  --baseline-ref REF      git ref of the "before" build (default 04b0b8b)
  --cache DIR             where the before build is prepared (default <root>/.bench-cache/<full sha>)
  --pg-url URL            PostgreSQL server, without a database (default postgres://postgres@127.0.0.1:5432)
  --db-prefix NAME        databases NAME_hub and NAME_before (default thads_bench_reads); dropped
                          and created again at the start, dropped at the end unless --keep
  --keep                  leave the databases (and their data) at the end
  --no-analyze            do not ANALYZE the raw tables after seeding. By default both databases get
                          ANALYZE cases.case_event, finances.money_event, org_units.org_unit,
                          org_units.rollup_edge: \`hub seed\` analyzes only the tables the hub reads,
                          and with autovacuum off (as on this machine's PostgreSQL) the naive
                          statements are planned without statistics (nested loops: 38 s instead
                          of 21 ms for read c at 20,000 cases)
  --port P                first port (default 4700)
  --max-cost N            start the hubs with MAX_COST=N (default: unset, the gateway's default)
  --wait-idle PCT         before each timed run, wait (at most 10 s) until the machine is less
                          than PCT % busy (default 25; 0 = no wait)
  --retry-disturbed N     run a target's timed run again (at most N times, default 1) when other
                          processes (not the hubs, PostgreSQL or this script) took more than 30 %
                          of a core during it; the least disturbed attempt counts, the report
                          lists the others
  --out FILE              Markdown report (default bench/results/reads.md, overwritten: only the
                          latest run is kept; "-" = none)
  --help

On exit, a failure or Ctrl+C it stops the hubs and servers it started (SIGTERM to each hub's
process group, SIGKILL after 15 s) and drops the databases unless --keep. Logs of the hubs and of
the baseline's preparation go to .bench-cache/logs/.`;

// ---- arguments --------------------------------------------------------------------------------
const FLAGS = {
  '--targets': ['targets', 'list'], '--reads': ['reads', 'list'], '--rounds': ['rounds', 'int'], '--duration': ['duration', 'num'],
  '--warmup': ['warmup', 'num'], '--single-duration': ['singleDuration', 'num'], '--connections': ['connections', 'int'],
  '--writes-per-second': ['writesPerSecond', 'num'], '--write-concurrency': ['writeConcurrency', 'int'], '--cases': ['cases', 'int'],
  '--seed': ['seed', 'str'], '--until': ['until', 'str'], '--year': ['year', 'int'], '--province': ['province', 'str'], '--baseline-ref': ['baselineRef', 'str'],
  '--cache': ['cache', 'path'], '--pg-url': ['pgUrl', 'str'], '--db-prefix': ['dbPrefix', 'str'], '--port': ['port', 'int'],
  '--max-cost': ['maxCost', 'int'], '--wait-idle': ['waitIdle', 'num'], '--retry-disturbed': ['retryDisturbed', 'int'], '--out': ['out', 'str'],
  // child roles
  '--serve': ['serve', 'str'], '--db': ['db', 'str'], '--pool': ['pool', 'int'],
};
function parseArgs(argv) {
  const o = { targets: [...TARGETS], reads: [...READS], rounds: 1, duration: 15, warmup: 3, singleDuration: 5, connections: 10,
    writesPerSecond: 50, writeConcurrency: 128, cases: 20000, seed: 'demo', until: '2025-09-30', year: statisticalYearOf(todayInVietnam()), province: 'ho-chi-minh-city',
    baselineRef: '04b0b8b', cache: undefined, analyze: true, pgUrl: 'postgres://postgres@127.0.0.1:5432', dbPrefix: 'thads_bench_reads', keep: false,
    port: 4700, maxCost: undefined, waitIdle: 25, retryDisturbed: 1, out: path.join(ROOT, 'bench/results/reads.md'), serve: null, pool: 10 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i], next = () => { if (i + 1 >= argv.length) throw new Error(`${flag} needs a value`); return argv[++i]; };
    if (flag === '--help' || flag === '-h') o.help = true;
    else if (flag === '--keep') o.keep = true;
    else if (flag === '--no-analyze') o.analyze = false;
    else if (FLAGS[flag]) {
      const [key, kind] = FLAGS[flag], v = next();
      o[key] = kind === 'num' || kind === 'int' ? Number(v) : kind === 'list' ? v.split(',').map((s) => s.trim()).filter(Boolean) : kind === 'path' ? path.resolve(v) : v;
      if ((kind === 'num' && !(o[key] >= 0)) || (kind === 'int' && !(Number.isInteger(o[key]) && o[key] >= 0))) throw new Error(`${flag} needs a number ≥ 0, got "${v}"`);
    } else throw new Error(`unknown option ${flag} (see --help)`);
  }
  for (const t of o.targets) if (!TARGETS.includes(t)) throw new Error(`unknown target ${t} (${TARGETS.join(', ')})`);
  for (const r of o.reads) if (!READS.includes(r)) throw new Error(`unknown read ${r} (${READS.join(', ')})`);
  if (!o.targets.length || !o.reads.length) throw new Error('--targets and --reads need at least one entry');
  o.targets = TARGETS.filter((t) => o.targets.includes(t)); o.reads = READS.filter((r) => o.reads.includes(r));
  if (o.rounds < 1 || o.connections < 1 || o.duration <= 0 || o.cases < 1 || o.writeConcurrency < 1) throw new Error('--rounds, --connections, --duration, --cases and --write-concurrency must be at least 1');
  if (o.port < 1024 || o.port + 21 > 65535) throw new Error('--port must leave room for P..P+21');
  if (!/^[a-z_][a-z0-9_]{0,40}$/.test(o.dbPrefix)) throw new Error('--db-prefix: lower-case letters, digits and _ only');
  if (!/^[a-z0-9-]+$/.test(o.province)) throw new Error('--province is a unit code such as ho-chi-minh-city');
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(new URL(o.pgUrl).hostname)) throw new Error(`--pg-url must be on this machine: ${o.pgUrl}`);
  return o;
}

// ---- the reads --------------------------------------------------------------------------------
function readsOf(o) {
  const Y = o.year;
  return {
    a: { key: 'a', label: '(a) national ranking, 34 provinces, cases + money', subgraphs: 'cases, finances, org-units',
      query: `{ caseRanking(period:{year:${Y}}) { rank value unit { id name } figures { done enforceable completionRate } } moneyRanking(period:{year:${Y}}) { rank value unit { id name } figures { done enforceable completionRate } } }` },
    b: { key: 'b', label: `(b) a province with its wards (${o.province})`, subgraphs: 'org-units, cases, finances',
      query: `query($code:String!){ unitByCode(code:$code){ id name caseStats(period:{year:${Y}}){ done enforceable completionRate } moneyStats(period:{year:${Y}}){ done completionRate } children { id name caseStats(period:{year:${Y}}){ done completionRate } moneyStats(period:{year:${Y}}){ done } } } }`,
      variables: { code: o.province } },
    c: { key: 'c', label: '(c) every current ward, caseStats { done }', subgraphs: 'org-units, cases',
      query: `{ units(type: WARD) { id name caseStats(period:{year:${Y}}) { done } } }` },
  };
}
const bodyOf = (read) => Buffer.from(JSON.stringify(read.variables ? { query: read.query, variables: read.variables } : { query: read.query }));

/** A statistical year: 1 October of the year before to 30 September. */
const periodOf = (year) => ({ start: `${year - 1}-10-01`, end: `${year}-09-30` });


/** The hub's rate (services/kit/src/util/rate.ts): part ÷ whole in percent, rounded half-up to 2 decimals from exact integers. */
function percent(part, whole) {
  const p = BigInt(part), w = BigInt(whole);
  if (w === 0n) return null;
  const negative = p < 0n !== w < 0n && p !== 0n, ap = p < 0n ? -p : p, aw = w < 0n ? -w : w;
  const value = Number((ap * 10000n * 2n + aw) / (aw * 2n)) / 100;
  return negative ? -value : value;
}
/** The hub's ranking (services/kit/src/stats/ranking.ts): higher first, nulls last, ties by unit id, competition ranks. */
function rankRows(items) {
  const sorted = [...items].sort((a, b) => {
    if (a.value === null || b.value === null) return a.value === null ? (b.value === null ? a.unitId - b.unitId : 1) : -1;
    if (a.value === b.value) return a.unitId - b.unitId;
    return a.value > b.value ? -1 : 1;
  });
  const out = [];
  sorted.forEach((x, i) => { const prev = out[i - 1]; out.push({ ...x, rank: prev && prev.value === x.value ? prev.rank : i + 1 }); });
  return out;
}

// ==== role: naive SQL server ===================================================================
// One statement per answer, straight over the raw facts. Units covered by A on asOf: the
// descendants of A in org_units.rollup_edge valid on asOf (valid_from <= asOf < valid_to), as the
// hub's rollups (services/kit/src/rollup/rollup-query.ts). Period [start, end], asOf = end:
//   cases done = events COMPLETED or TERMINATED in the period (services/cases/src/cases/case-flows.ts)
//   money done = sum(flow) of COLLECTED, COMPLETED, TERMINATED in the period (services/finances/src/money/money-flows.ts)
//   enforceable = done + sum(d_open_enforceable) of the events on or before the end
//   completion rate = done ÷ enforceable, percent, half-up to 2 decimals, null when enforceable is 0
const VALID = (a, d) => `${a}.valid_from <= ${d}::date AND (${a}.valid_to IS NULL OR ${a}.valid_to > ${d}::date)`;
const EDGES = `e AS (SELECT r.ancestor_id, r.descendant_id FROM org_units.rollup_edge r
  WHERE r.ancestor_id IN (SELECT id FROM u) AND r.valid_from <= $2::date AND r.valid_to > $2::date)`;
const CASES = `c AS (SELECT e.ancestor_id AS id,
    count(*) FILTER (WHERE ev.kind IN ('COMPLETED', 'TERMINATED') AND ev.occurred_on >= $1::date) AS done,
    sum(ev.d_open_enforceable) AS open_enforceable
  FROM e JOIN cases.case_event ev ON ev.unit_id = e.descendant_id AND ev.occurred_on <= $2::date
  GROUP BY e.ancestor_id)`;
const MONEY = `m AS (SELECT e.ancestor_id AS id,
    coalesce(sum(ev.flow) FILTER (WHERE ev.kind IN ('COLLECTED', 'COMPLETED', 'TERMINATED') AND ev.occurred_on >= $1::date), 0) AS done,
    sum(ev.d_open_enforceable) AS open_enforceable
  FROM e JOIN finances.money_event ev ON ev.unit_id = e.descendant_id AND ev.occurred_on <= $2::date
  GROUP BY e.ancestor_id)`;
const FIGURES = `coalesce(c.done, 0)::text AS c_done, coalesce(c.open_enforceable, 0)::text AS c_open,
  coalesce(m.done, 0)::text AS m_done, coalesce(m.open_enforceable, 0)::text AS m_open`;
const NAIVE_SQL = {
  // $1 period start, $2 period end (= asOf, as the ranking's units)
  a: `WITH u AS (SELECT id, name FROM org_units.org_unit u WHERE type = 'PROVINCE' AND ${VALID('u', '$2')}),
${EDGES}, ${CASES}, ${MONEY}
SELECT u.id, u.name, ${FIGURES} FROM u LEFT JOIN c ON c.id = u.id LEFT JOIN m ON m.id = u.id`,
  // $3 the province's code, $4 today (unitByCode and children default to today)
  b: `WITH p AS (SELECT id, name FROM org_units.org_unit p WHERE code = $3 AND ${VALID('p', '$4')}),
u AS (SELECT id, name, 0 AS level FROM p UNION ALL
  SELECT k.id, k.name, 1 FROM org_units.org_unit k JOIN p ON k.parent_id = p.id WHERE ${VALID('k', '$4')}),
${EDGES}, ${CASES}, ${MONEY}
SELECT u.id, u.name, u.level, ${FIGURES} FROM u LEFT JOIN c ON c.id = u.id LEFT JOIN m ON m.id = u.id ORDER BY u.level, u.name`,
  // $3 today (units(type: WARD) defaults to today); only done is asked for, so only the period's events are read
  c: `WITH u AS (SELECT id, name FROM org_units.org_unit u WHERE type = 'WARD' AND ${VALID('u', '$3')}),
${EDGES},
c AS (SELECT e.ancestor_id AS id, count(*) AS done
  FROM e JOIN cases.case_event ev ON ev.unit_id = e.descendant_id AND ev.occurred_on >= $1::date AND ev.occurred_on <= $2::date
  WHERE ev.kind IN ('COMPLETED', 'TERMINATED')
  GROUP BY e.ancestor_id)
SELECT u.id, u.name, coalesce(c.done, 0)::text AS c_done FROM u LEFT JOIN c ON c.id = u.id ORDER BY u.name`,
};

function caseFigures(done, open) { const d = BigInt(done), e = d + BigInt(open); return { done: Number(d), enforceable: Number(e), completionRate: percent(d, e) }; }
function moneyFigures(done, open) { const d = BigInt(done), e = d + BigInt(open); return { done: String(d), enforceable: String(e), completionRate: percent(d, e) }; }

async function naiveAnswer(pool, read, body, year) {
  const { start, end } = periodOf(year);
  if (read === 'a') {
    const rows = (await pool.query(NAIVE_SQL.a, [start, end])).rows;
    const ranking = (fig) => rankRows(rows.map((r) => { const f = fig(r); return { unitId: r.id, value: f.completionRate, unit: { id: String(r.id), name: r.name }, figures: f }; }))
      .map((x) => ({ rank: x.rank, value: x.value === null ? null : String(x.value), unit: x.unit, figures: x.figures }));
    return { data: { caseRanking: ranking((r) => caseFigures(r.c_done, r.c_open)), moneyRanking: ranking((r) => moneyFigures(r.m_done, r.m_open)) } };
  }
  if (read === 'b') {
    const code = JSON.parse(body.toString('utf8')).variables?.code;
    const rows = (await pool.query(NAIVE_SQL.b, [start, end, code, todayInVietnam()])).rows;
    const top = rows.find((r) => r.level === 0);
    if (!top) return { errors: [{ message: `No unit has the code "${code}" today.`, extensions: { code: 'UNIT_NOT_FOUND' } }], data: null };
    const c = caseFigures(top.c_done, top.c_open), m = moneyFigures(top.m_done, top.m_open);
    return { data: { unitByCode: { id: String(top.id), name: top.name, caseStats: c, moneyStats: { done: m.done, completionRate: m.completionRate },
      children: rows.filter((r) => r.level === 1).map((r) => { const k = caseFigures(r.c_done, r.c_open);
        return { id: String(r.id), name: r.name, caseStats: { done: k.done, completionRate: k.completionRate }, moneyStats: { done: String(BigInt(r.m_done)) } }; }) } } };
  }
  const rows = (await pool.query(NAIVE_SQL.c, [start, end, todayInVietnam()])).rows;
  return { data: { units: rows.map((r) => ({ id: String(r.id), name: r.name, caseStats: { done: Number(r.c_done) } })) } };
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
async function serve(o) {
  let handler, close = async () => {};
  if (o.serve === 'naive') {
    const { Pool } = require('pg');
    const pool = new Pool({ connectionString: o.db, max: o.pool, application_name: 'bench-reads-naive' });
    pool.on('error', () => {});
    close = () => pool.end();
    handler = async (req, res, read, body) => {
      try {
        const buf = Buffer.from(`${JSON.stringify(await naiveAnswer(pool, read, body, o.year))}\n`); // the gateway ends its answers with a newline too
        res.writeHead(200, { ...JSON_HEADERS, 'x-request-id': randomUUID(), 'content-length': buf.length }).end(buf);
      } catch (err) {
        const buf = Buffer.from(JSON.stringify({ errors: [{ message: String(err && err.message) }], data: null }));
        res.writeHead(500, { ...JSON_HEADERS, 'content-length': buf.length }).end(buf);
      }
    };
  } else if (o.serve === 'bare') {
    const answers = {};
    process.on('message', (m) => { if (m && m.answers) { for (const [k, b64] of Object.entries(m.answers)) answers[k] = Buffer.from(b64, 'base64'); process.send({ ok: true }); } });
    handler = (req, res, read) => {
      const buf = answers[read];
      if (!buf) return void res.writeHead(404).end();
      res.writeHead(200, { ...JSON_HEADERS, 'x-request-id': randomUUID(), 'content-length': buf.length }).end(buf);
    };
  } else throw new Error(`--serve naive or bare, not ${o.serve}`);
  const server = http.createServer((req, res) => {
    const read = (req.url || '').replace(/^\//, '');
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => handler(req, res, read, Buffer.concat(chunks)));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve, reject) => server.once('error', reject).listen(o.port, '127.0.0.1', resolve));
  process.send({ port: o.port });
  process.on('disconnect', async () => { server.closeAllConnections(); server.close(); await Promise.race([close(), sleep(2000)]); process.exit(0); });
}

/** This file in a server role, as a child process with an IPC channel; resolves when it listens. */
async function startServer(kind, port, extra) {
  if (!(await portFree(port))) throw new Error(`port ${port} is taken: pass another --port`);
  const child = fork(__filename, ['--serve', kind, '--port', String(port), ...extra], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  started.push({ name: kind, child });
  await new Promise((resolve, reject) => { child.once('message', resolve); child.once('exit', (code) => reject(new Error(`the ${kind} server exited (${code}) before it listened`))); });
  return { name: kind, child, pid: child.pid, base: `http://127.0.0.1:${port}` };
}

// ==== verification ==============================================================================
/** The data with lists of units ordered by id (the hub orders units by name, ties in no fixed order); rankings keep their order. */
function canonical(read, data) {
  const byId = (xs) => [...xs].sort((x, y) => Number(x.id) - Number(y.id));
  if (read === 'b' && data?.unitByCode) return { unitByCode: { ...data.unitByCode, children: byId(data.unitByCode.children) } };
  if (read === 'c' && data?.units) return { units: byId(data.units) };
  return data;
}
/** The first difference between two JSON values, as a path and both sides; undefined when equal. */
function firstDifference(a, b, at = '') {
  if (a === b) return undefined;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return `${at || '/'}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`;
  if (Array.isArray(a) && a.length !== b.length) return `${at}: ${a.length} items ≠ ${b.length}`;
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) { const d = firstDifference(a[k], b[k], `${at}/${k}`); if (d) return d; }
  return undefined;
}
function describeAnswer(read, data) {
  if (read === 'a') return `${data.caseRanking.length} + ${data.moneyRanking.length} ranked provinces`;
  if (read === 'b') return `${data.unitByCode.name} and ${data.unitByCode.children.length} wards`;
  return `${data.units.length} wards`;
}
/** Figures compared in (a): per province and family, rank, value, done, enforceable, completion rate. */
function comparedCount(read, data) {
  if (read === 'a') return (data.caseRanking.length + data.moneyRanking.length) * 7;
  if (read === 'b') return 5 + data.unitByCode.children.length * 5;
  return data.units.length * 3;
}

/** The gateway's own cost estimate of a read (gateway/dist/limits/operation-limits.js), best effort. */
function costOf(reads) {
  try {
    const { Supergraph } = require('@apollo/federation-internals');
    const { parse } = require('graphql');
    const { measureOperation } = require(path.join(ROOT, 'gateway/dist/limits/operation-limits.js'));
    const schema = Supergraph.build(fs.readFileSync(path.join(ROOT, 'schema/supergraph.graphql'), 'utf8')).apiSchema().toGraphQLJSSchema();
    const max = /MAX_COST:\s*\S+\.int\((\d+)/.exec(fs.readFileSync(path.join(ROOT, 'gateway/dist/config.js'), 'utf8'))?.[1];
    return { max: max && Number(max), costs: Object.fromEntries(Object.values(reads).map((r) => [r.key, measureOperation(schema, parse(r.query).definitions[0], {}).cost])) };
  } catch (err) { return { error: String(err.message ?? err) }; }
}

// ==== report ====================================================================================
const fmt = (v, d = 0) => (v === undefined || v === null || Number.isNaN(v) ? '–' : v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }));
const pc = (v) => (v === undefined ? '–' : `${Math.round(v * 100)}`);
const median = (xs) => { const v = xs.filter((x) => x !== undefined && !Number.isNaN(x)).sort((a, b) => a - b); return v.length ? (v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2) : undefined; };
const ratio = (a, b, d = 2) => (a === undefined || b === undefined || !b ? '–' : `${fmt(a / b, d)}×`);
const shellQuote = (s) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`);
const CPU_COLS = ['gateway', 'org-units', 'cases', 'finances', 'complaints', 'server', 'postgres', 'loadgen', 'idle', 'other'];
/** A run on which other people's work took more than this (cores) is marked as disturbed. */
const DISTURBED = 0.3;

function report(o, ctx, reads, rows) {
  const pick = (read, target) => {
    const rs = rows.filter((r) => r.read === read && r.target === target);
    if (!rs.length) return undefined;
    const m = (f) => median(rs.map(f));
    return { rps: m((r) => r.load.rps), p50: m((r) => r.load.p50), p99: m((r) => r.load.p99), max: m((r) => r.load.max),
      single: m((r) => r.single?.p50), singleRps: m((r) => r.single?.rps), errors: rs.reduce((s, r) => s + r.load.errors, 0) };
  };
  const L = [];
  L.push('# Reads through the gateway: this build, the build before, naive SQL and bare HTTP', '',
    `Written by \`bench/reads.js\` (see its \`--help\` and bench/README.md); each run replaces this file.`, '',
    `- Date: ${ctx.date}; run took ${fmt(ctx.minutes, 1)} min`,
    `- Machine: nproc ${ctx.nproc} (${ctx.cpuModel}), ${ctx.memGiB} GiB, Node ${process.version}, ${os.platform()} ${os.release()}; PostgreSQL ${ctx.pgVersion}; busy ${pc(ctx.busyBefore)} % in the second before the run`,
    `- Command: \`${ctx.command}\``,
    `- Builds: hub = ${ctx.hubSha}${ctx.hubDirty ? ' (with uncommitted changes)' : ''} (this checkout)${ctx.beforeSha ? `; before = ${ctx.beforeSha} (--baseline-ref ${o.baselineRef}, prepared in ${ctx.beforeDir})` : ''}${ctx.beforeSha ? (ctx.changed.length ? `; ${ctx.changed.length} file(s) differ outside bench/ (${ctx.changed.slice(0, 8).join(', ')}${ctx.changed.length > 8 ? ', …' : ''})` : ' — the same code outside bench/: hub ÷ before measures the method and should be ~1.0') : ''}`,
    `- Data: \`hub seed --cases ${o.cases} --seed ${o.seed}\` by each build's own cli into its own database (\`--until ${o.until}\` for a build that takes it): ${ctx.seeds.map((s) => `${s.name} ${fmt(s.cases)} cases (${fmt(s.caseEvents)} case events, ${fmt(s.moneyEvents)} money events, ${fmt(s.units)} units) in ${fmt(s.seconds, 1)} s`).join('; ')}`,
    `- Load: ${o.connections} keep-alive connections, each sending its next request when the previous answer arrived; ${o.warmup} s warm-up, then ${o.duration} s timed${o.singleDuration > 0 ? `, then ${o.singleDuration} s (at least 3 requests) with 1 connection ("single client")` : ''}; ${o.rounds} round(s), the targets' order alternating; reads anonymous (ministry)`,
    `- Writes: ${o.writesPerSecond}/s receiveCase (dated today in Vietnam, random current wards, HS256 reporter token for unit 1, at most ${o.writeConcurrency} in flight) through the gateway of the target measured (naive, bare: the hub target's gateway), during warm-up, timed and single-client runs; the tables count those sent in the timed run`,
    `- Hubs: \`node cli/dist/main.js start --port P\` of each build with RATE_LIMIT_PER_MINUTE=0 and random AUTH_JWT_SECRET / IDENTITY_SECRET in the environment; ${ctx.hubs.map((h) => `${h.build.name} on ${h.port}–${h.port + 4}, its gateway saw RATE_LIMIT_PER_MINUTE=${h.gatewayEnv.RATE_LIMIT_PER_MINUTE ?? 'unset'}, MAX_COST=${h.gatewayEnv.MAX_COST ?? 'unset'}, AUTH_ANONYMOUS=${h.gatewayEnv.AUTH_ANONYMOUS ?? 'unset'}`).join('; ')}`,
    `- Cost limit: ${o.maxCost !== undefined ? `MAX_COST=${o.maxCost} set` : `MAX_COST not set (the gateway's default ${fmt(ctx.cost.max)})`}; the gateway's estimate of each read: ${ctx.cost.costs ? Object.entries(ctx.cost.costs).map(([k, v]) => `(${k}) ${fmt(v)}`).join(', ') : ctx.cost.error}`,
    `- Checks before timing: ${ctx.checks.join('; ')}`,
    `- Statistics: ${o.analyze ? `after seeding, ANALYZE ${ANALYZED.join(', ')} in both databases (hub seed analyzes only the aggregate tables and the edges; this PostgreSQL runs with autovacuum ${ctx.autovacuum})` : `no ANALYZE after seeding (--no-analyze; autovacuum ${ctx.autovacuum})`}`,
    `- Databases grew by the writes: ${ctx.growth.map((g) => `${g.name} +${fmt(g.added)} case events`).join(', ')} (dated today: outside the period read)`, '');
  L.push('Reads (Y = ' + o.year + '):', '', ...o.reads.map((k) => `- ${reads[k].label} (${reads[k].subgraphs}): \`${reads[k].query}\`${reads[k].variables ? ` with \`${JSON.stringify(reads[k].variables)}\`` : ''}; answer ${fmt(ctx.answerBytes[k])} bytes (${ctx.answers[k]})`), '');

  L.push(`## Summary${o.rounds > 1 ? ` (medians of ${o.rounds} rounds)` : ''}`, '',
    '| read | hub req/s | hub p99 ms | hub ÷ before req/s | hub ÷ before p99 | hub ÷ naive req/s | hub ÷ naive p99 | hub req/s as % of bare |', '|---|--:|--:|--:|--:|--:|--:|--:|');
  for (const k of o.reads) {
    const h = pick(k, 'hub'), b = pick(k, 'before'), n = pick(k, 'naive'), x = pick(k, 'bare');
    const shaken = rows.some((r) => r.read === k && r.cpu.other > DISTURBED);
    L.push(`| (${k})${shaken ? ' ⚠' : ''} | ${fmt(h?.rps, 1)} | ${fmt(h?.p99)} | ${ratio(h?.rps, b?.rps)} | ${ratio(h?.p99, b?.p99)} | ${ratio(h?.rps, n?.rps)} | ${ratio(h?.p99, n?.p99)} | ${h && x ? `${fmt((100 * h.rps) / x.rps, 1)} %` : '–'} |`);
  }
  L.push('', `req/s ratios above 1 and p99 ratios below 1 favour the hub.${rows.some((r) => r.cpu.other > DISTURBED) ? ' ⚠: at least one of the read\'s runs was disturbed by other processes (see the notes).' : ''}`, '');
  if (o.singleDuration > 0) {
    L.push('Single client (1 connection, the same writes), p50 ms (req/s):', '', `| read | ${o.targets.join(' | ')} |`, `|---|${o.targets.map(() => '--:').join('|')}|`);
    for (const k of o.reads) L.push(`| (${k}) | ${o.targets.map((t) => { const s = pick(k, t); return s ? `${fmt(s.single, 1)} (${fmt(s.singleRps, 1)})` : '–'; }).join(' | ')} |`);
    L.push('');
  }
  for (const k of o.reads) {
    L.push(`## ${reads[k].label}`, '',
      '| target | round | req/s | p50 ms | p99 ms | max ms | ok / errors | 1 client p50 ms | CPU %: gateway | org-units | cases | finances | complaints | naive/bare server | PostgreSQL | load gen + writer | hub CLIs + idle hub | other | machine | writes ok / failed / asked | write p50 / p99 ms | busy before % |',
      '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
    for (const r of rows.filter((x) => x.read === k)) {
      const c = r.cpu, w = r.writes;
      L.push(`| ${r.target}${r.cpu.other > DISTURBED ? ' ⚠' : ''} | ${r.round} | ${fmt(r.load.rps, 1)} | ${fmt(r.load.p50)} | ${fmt(r.load.p99)} | ${fmt(r.load.max)} | ${fmt(r.load.requests)} / ${r.load.errors} | ${fmt(r.single?.p50, 1)} | ${CPU_COLS.map((g) => (g === 'server' && !r.server ? '–' : pc(c[g]))).join(' | ')} | ${pc(c.machine)} | ${w ? `${fmt(w.ok)} / ${fmt(w.failed)} / ${fmt(w.asked)}` : '–'} | ${w ? `${fmt(w.rttP50)} / ${fmt(w.rttP99)}` : '–'} | ${pc(r.busyBefore)} |`);
    }
    L.push('');
  }
  const errs = rows.filter((r) => r.load.errors || r.single?.errors || r.writes?.failed || r.writes?.notSent);
  const disturbed = rows.filter((r) => r.cpu.other > DISTURBED);
  L.push('Notes:', '',
    `- CPU % is of one core (${ctx.nproc * 100} % = the whole machine), averaged over the timed run, sampled from /proc/<pid>/stat every 500 ms. gateway and the subgraph columns are the processes of the hub measured (naive, bare: of the hub target, which takes the writes); "PostgreSQL" is the backends of the bench databases and the server's own processes (WAL writer, checkpointer…); "load gen + writer" is this script; "hub CLIs + idle hub" the \`hub start\` parent processes (they relay the services' logs) and the processes of the hub not measured; "other" is the machine's busy time (/proc/stat) minus all of these: other people's work, the kernel.`,
    '- Latencies are per request at the load generator, from sending the request to the end of the answer. p99 and max of runs with few requests (c) are in effect the slowest requests. An error is an answer that is not HTTP 200 or that contains "errors".',
    '- naive runs one SQL statement per answer straight over the raw events, no pre-aggregated table (the statements are in bench/reads.js, NAIVE_SQL); bare returns the hub\'s captured bytes from memory, with the same content-type and a request id.',
    `- ⚠ disturbed: other processes (not the hubs, PostgreSQL or this script) used more than ${pc(DISTURBED)} % of a core during the run: ${disturbed.length ? disturbed.map((r) => `(${r.read}) ${r.target} round ${r.round} (${pc(r.cpu.other)} %)`).join(', ') + '. Its figures are worse than the code alone would give; compare with care, or run again with --rounds 3 (the summary takes medians)' : 'none'}.`,
    `- Run again because other processes disturbed them (--retry-disturbed ${o.retryDisturbed}; the least disturbed attempt is in the tables), set aside: ${ctx.retried.length ? ctx.retried.map((r) => `(${r.read}) ${r.target} round ${r.round}: other ${pc(r.cpu.other)} %, ${fmt(r.load.rps, 1)} req/s, p99 ${fmt(r.load.p99)} ms`).join('; ') : 'none'}.`,
    `- Writes: "asked" is --writes-per-second × the timed run; the writer keeps at most ${o.writeConcurrency} mutations in flight and skips writes more than a second late, so a hub whose mutations queue behind its reads commits fewer than asked.`,
    `- Errors: ${errs.length ? errs.map((r) => `(${r.read}) ${r.target} round ${r.round}: ${[r.load.firstError, r.single?.firstError, r.writes?.firstError, r.writes?.notSent ? `${r.writes.notSent} writes not sent in the whole run (${o.writeConcurrency} in flight already)` : ''].filter(Boolean).join('; ')}`).join(' · ') : 'none'}`);
  return L.join('\n') + '\n';
}

// ==== parent ====================================================================================
async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (o.help) return console.log(HELP);
  if (o.serve) return serve(o);

  const t0 = performance.now();
  const dbs = { hub: `${o.dbPrefix}_hub`, before: `${o.dbPrefix}_before` };
  const created = []; // the databases this run made, dropped at the end unless --keep
  let stopping = false;
  const cleanup = async () => {
    await stopAll();
    if (!o.keep) while (created.length) await adminQuery(o, `DROP DATABASE IF EXISTS ${created.pop()} WITH (FORCE)`).catch(() => {});
  };
  const onSignal = (sig, code) => {
    if (stopping) { for (const s of started) { try { process.kill(s.pgid ? -s.pgid : s.child.pid, 'SIGKILL'); } catch { /* gone */ } } process.exit(code); }
    stopping = true;
    console.error(`\n${sig}: stopping the hubs and servers${o.keep ? '' : ', dropping the databases'}… (again to kill at once)`);
    cleanup().finally(() => process.exit(code));
  };
  process.on('SIGINT', () => onSignal('SIGINT', 130)).on('SIGTERM', () => onSignal('SIGTERM', 143));
  process.on('exit', () => { for (const s of started) { try { process.kill(s.pgid ? -s.pgid : s.child.pid, 'SIGTERM'); } catch { /* gone */ } } });

  const reads = readsOf(o);
  const needHub = o.targets.some((t) => t !== 'before'), needBefore = o.targets.includes('before');
  const ctx = { date: new Date().toISOString(), nproc: Number(execFileSync('nproc').toString().trim()), cpuModel: os.cpus()[0]?.model ?? '?',
    memGiB: Math.round(os.totalmem() / 2 ** 30), command: `node bench/reads.js ${process.argv.slice(2).map(shellQuote).join(' ')}`.trim(),
    hubSha: git(['rev-parse', 'HEAD']), hubDirty: git(['status', '--porcelain', '--untracked-files=no']) !== '', seeds: [], hubs: [], checks: [], retried: [], growth: [], answers: {}, answerBytes: {} };
  { const a = machineTicks(); await sleep(1000); const b = machineTicks(); ctx.busyBefore = (b[0] - a[0]) / Math.max(1, b[1] - a[1]); }
  ctx.cost = costOf(reads);
  const writeKey = `reads-${Date.now().toString(36)}-${process.pid}`;

  try {
    // builds
    const builds = [];
    if (needHub) builds.push({ name: 'hub', dir: ROOT, port: o.port });
    if (needBefore) {
      ctx.beforeSha = git(['rev-parse', '--verify', `${o.baselineRef}^{commit}`]);
      // the hub's files that differ from the baseline (committed or not), bench/ and .gitignore aside
      ctx.changed = git(['diff', '--name-only', ctx.beforeSha, '--', '.', ':(exclude)bench', ':(exclude).gitignore']).split('\n').filter(Boolean);
      const dir = await prepareBaseline(o, ctx.beforeSha);
      ctx.beforeDir = path.relative(ROOT, dir) || dir;
      builds.push({ name: 'before', dir, port: o.port + 10 });
    }
    if (!fs.existsSync(path.join(ROOT, 'cli/dist/main.js'))) throw new Error('this checkout is not built: npm ci && npm run build');
    ctx.pgVersion = (await adminQuery(o, 'SHOW server_version'))[0].server_version;
    ctx.autovacuum = (await adminQuery(o, 'SHOW autovacuum'))[0].autovacuum;
    // databases and hubs
    for (const b of builds) {
      log(`${b.name}: database ${dbs[b.name]}, hub seed --cases ${o.cases} --seed ${o.seed} with its own cli…`);
      created.push(dbs[b.name]);
      await recreateDatabase(o, dbs[b.name]);
      const s = await seed(o, b, dbs[b.name]);
      if (o.analyze) for (const t of ANALYZED) await adminQueryDb(o, dbs[b.name], `ANALYZE ${t}`);
      ctx.seeds.push({ name: b.name, ...s });
      log(`${b.name}: seeded ${fmt(s.cases)} cases (${fmt(s.caseEvents)} case events) in ${fmt(s.seconds, 1)} s`);
    }
    // The seeds leave PostgreSQL and the kernel with ~100 MB a database to write out: flush it now,
    // or the first timed runs share the machine with the checkpointer and the kernel's writeback.
    await adminQuery(o, 'CHECKPOINT').catch((err) => log(`CHECKPOINT failed (${err.message}); the first runs may share the machine with it`));
    try { execFileSync('sync'); } catch { /* no sync: the kernel flushes on its own */ }
    const hubs = {};
    for (const b of builds) {
      hubs[b.name] = await startHub(o, b, dbs[b.name], b.port);
      ctx.hubs.push(hubs[b.name]);
      log(`${b.name}: hub up at ${hubs[b.name].url} (gateway pid ${hubs[b.name].gateway}; the gateway's RATE_LIMIT_PER_MINUTE=${hubs[b.name].gatewayEnv.RATE_LIMIT_PER_MINUTE ?? 'unset'})`);
      if (hubs[b.name].gatewayEnv.RATE_LIMIT_PER_MINUTE !== '0') log(`warning: hub start did not pass RATE_LIMIT_PER_MINUTE=0 to the ${b.name} gateway`);
    }
    for (const h of Object.values(hubs)) {
      h.wards = (await gql(h.url, '{ units(type: WARD) { id } }')).units.map((u) => u.id);
      if (!h.wards.length) throw new Error(`${h.build.name}: no current wards to write to`);
    }
    const eventCount = async (db) => Number((await adminQueryDb(o, db, 'SELECT count(*) AS n FROM cases.case_event'))[0].n);
    const eventsAtStart = Object.fromEntries(await Promise.all(Object.keys(hubs).map(async (k) => [k, await eventCount(dbs[k])])));

    // servers
    const servers = {};
    if (o.targets.includes('naive')) servers.naive = await startServer('naive', o.port + 20, ['--db', dbUrl(o, dbs.hub), '--year', String(o.year), '--pool', String(o.connections)]);
    if (o.targets.includes('bare')) servers.bare = await startServer('bare', o.port + 21, []);

    // answers, checked before anything is timed
    const captured = {};
    for (const k of o.reads) {
      const body = bodyOf(reads[k]), answers = {};
      for (const [name, h] of Object.entries(hubs)) {
        const r = await post(undefined, h.url, body);
        if (r.status !== 200 || r.buf.includes(ERRORS)) throw new Error(`(${k}) the ${name} hub refused the read: HTTP ${r.status} ${r.buf.toString('utf8', 0, 500)}${/OPERATION_LIMIT/.test(r.buf) ? ' (raise --max-cost)' : ''}`);
        answers[name] = { buf: r.buf, data: JSON.parse(r.buf.toString('utf8')).data };
      }
      const ref = answers.hub ?? answers.before;
      ctx.answers[k] = describeAnswer(k, ref.data); ctx.answerBytes[k] = ref.buf.length;
      if (answers.hub && answers.before) {
        const d = firstDifference(canonical(k, answers.hub.data), canonical(k, answers.before.data));
        ctx.checks.push(d ? `(${k}) **before's data differs from hub's**: ${d}` : `(${k}) before = hub (same data)`);
        if (d) log(`warning: (${k}) before and hub differ: ${d}`);
      }
      if (servers.naive) {
        const r = await post(undefined, `${servers.naive.base}/${k}`, body);
        if (r.status !== 200 || r.buf.includes(ERRORS)) throw new Error(`(${k}) the naive server failed: HTTP ${r.status} ${r.buf.toString('utf8', 0, 500)}`);
        const naive = JSON.parse(r.buf.toString('utf8')).data, d = firstDifference(canonical(k, answers.hub.data), canonical(k, naive));
        if (d) throw new Error(`(${k}) the naive server's figures differ from the hub's: ${d}`);
        ctx.checks.push(`(${k}) naive = hub: ${fmt(comparedCount(k, naive))} values equal (${describeAnswer(k, naive)}; ${fmt(r.buf.length)} bytes against the hub's ${fmt(answers.hub.buf.length)})`);
      }
      if (answers.hub) captured[k] = answers.hub.buf;
      log(`(${k}) ${ctx.answers[k]}, ${fmt(ref.buf.length)} bytes; ${ctx.checks.filter((c) => c.startsWith(`(${k})`)).join('; ') || 'no comparison'}`);
    }
    if (servers.bare) {
      await new Promise((resolve) => { servers.bare.child.once('message', resolve); servers.bare.child.send({ answers: Object.fromEntries(Object.entries(captured).map(([k, b]) => [k, b.toString('base64')])) }); });
      for (const k of o.reads) {
        const r = await post(undefined, `${servers.bare.base}/${k}`, bodyOf(reads[k]));
        if (!r.buf.equals(captured[k])) throw new Error(`(${k}) the bare server does not return the captured bytes`);
      }
      ctx.checks.push('bare returns the hub\'s bytes');
    }

    // timed runs
    const allDbs = Object.values(dbs);
    const plan = o.targets.map((t) => {
      const hub = t === 'before' ? hubs.before : hubs.hub, server = servers[t];
      return { target: t, hub, server, url: (k) => (server ? `${server.base}/${k}` : hub.url) };
    });
    const perRun = o.warmup + o.duration + (o.singleDuration > 0 ? o.singleDuration + 1 : 0) + 2;
    log(`timed runs: ${o.rounds} round(s) × ${o.reads.length} read(s) × ${plan.length} target(s), about ${fmt((o.rounds * o.reads.length * plan.length * perRun) / 60, 1)} min`);
    const rows = [];
    for (let round = 1; round <= o.rounds; round++) {
      for (const [i, k] of o.reads.entries()) {
        const body = bodyOf(reads[k]);
        // the order alternates from read to read and from round to round, so that no target is always first after a pause
        let attempts = [];
        for (const p of (round - 1 + i) % 2 ? [...plan].reverse() : plan) for (let attempt = 0; ; attempt++) {
          const busyBefore = o.waitIdle > 0 ? await waitIdle(o.waitIdle) : undefined;
          const writer = startWriter(p.hub, o.writesPerSecond, o.writeConcurrency, `${writeKey}-${p.target}-${k}-${round}-${attempt}`);
          process.stdout.write(`(${k}) round ${round} ${p.target}${attempt ? ` (again, ${attempt})` : ''}: warm-up ${o.warmup} s, ${o.duration} s timed … `);
          if (o.warmup > 0) await load(p.url(k), body, o.warmup, o.connections);
          const idle = Object.values(hubs).flatMap((h) => (h === p.hub ? [h.cli] : [h.cli, h.gateway, ...Object.values(h.subgraphs)]));
          const groups = { gateway: () => [p.hub.gateway], ...Object.fromEntries(Object.entries(p.hub.subgraphs).map(([n, pid]) => [n, () => [pid]])),
            server: () => (p.server ? [p.server.pid] : []), postgres: () => postgresPids(allDbs), idle: () => idle };
          const stopCpu = cpuSampler(groups), from = performance.now();
          const result = await load(p.url(k), body, o.duration, o.connections);
          const to = performance.now(), cpu = stopCpu();
          const single = o.singleDuration > 0 ? await load(p.url(k), body, o.singleDuration, 1, 3, Math.max(60, o.singleDuration * 4)) : undefined;
          const writes = o.writesPerSecond > 0 ? writer.stats(from, to) : undefined;
          await writer.stop();
          console.log(`${fmt(result.rps, 1)} req/s, p50 ${fmt(result.p50)} ms, p99 ${fmt(result.p99)} ms, max ${fmt(result.max)} ms, ${result.errors} errors; 1 client p50 ${fmt(single?.p50)} ms; writes ${writes ? `${writes.ok}/${writes.sent} ok, p99 ${fmt(writes.rttP99)} ms` : 'none'}; CPU gw ${pc(cpu.gateway)} %, cases ${pc(cpu.cases)} %, pg ${pc(cpu.postgres)} %, other ${pc(cpu.other)} %`);
          if (result.firstError) console.log(`  first error: ${result.firstError}`);
          if (writes?.firstError) console.log(`  first write error: ${writes.firstError}`);
          attempts.push({ read: k, round, target: p.target, server: Boolean(p.server), load: result, single, writes, cpu, busyBefore });
          if (cpu.other > DISTURBED && attempt < o.retryDisturbed) { console.log(`  disturbed: other processes took ${pc(cpu.other)} % of a core; once more`); continue; }
          // the least disturbed attempt counts; the others are listed in the report
          const best = attempts.reduce((a, b) => (b.cpu.other < a.cpu.other ? b : a));
          rows.push(best);
          ctx.retried.push(...attempts.filter((a) => a !== best));
          attempts = [];
          break;
        }
      }
    }
    for (const [k, h] of Object.entries(hubs)) ctx.growth.push({ name: h.build.name, added: (await eventCount(dbs[k])) - eventsAtStart[k] });

    ctx.minutes = (performance.now() - t0) / 60000;
    const md = report(o, ctx, reads, rows);
    console.log('\n' + md);
    if (o.out !== '-') { fs.mkdirSync(path.dirname(path.resolve(o.out)), { recursive: true }); fs.writeFileSync(o.out, md); log(`written to ${path.relative(process.cwd(), path.resolve(o.out))}`); }
  } finally {
    if (!stopping) { log(`stopping the hubs and servers${o.keep ? ` (databases kept: ${created.join(', ')})` : ', dropping the databases'}`); await cleanup(); }
  }
}

async function adminQueryDb(o, db, sql) {
  const { Client } = require('pg');
  const c = new Client({ connectionString: dbUrl(o, db) });
  await c.connect();
  try { return (await c.query(sql)).rows; } finally { await c.end(); }
}

main().then(
  () => { if (!process.argv.includes('--serve')) process.exit(0); }, // keep-alive sockets and pools must not hold the parent
  (err) => { console.error(err instanceof Error ? err.message : err); process.exit(1); },
);
