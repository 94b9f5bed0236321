// What the benchmark scripts share: /proc readings, HTTP load and a writer, and the builds,
// databases and hubs they run (a build of this checkout or of another git ref, seeded with its
// own cli, started with its own \`hub start\`). CommonJS, nothing beyond the project's packages.
'use strict';
const http = require('node:http'), fs = require('node:fs'), os = require('node:os'), path = require('node:path');
const { spawn, execFileSync } = require('node:child_process');
const { createHmac, randomBytes } = require('node:crypto');

const ROOT = path.resolve(__dirname, '..', '..');
/** Today in Vietnam (UTC+7, no daylight saving), as the hub's default dates. */
function todayInVietnam() { return new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10); }
/** The statistical year a date falls in (1 October starts the next one). */
function statisticalYearOf(date) { return Number(date.slice(0, 4)) + (date.slice(5, 7) >= '10' ? 1 : 0); }

// ==== /proc readings ===========================================================================
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const CLK_TCK = (() => { try { return Number(execFileSync('getconf', ['CLK_TCK']).toString()) || 100; } catch { return 100; } })();
/** CPU seconds (utime + stime) of a process so far; undefined when it has gone. */
function procCpu(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // f[0] is field 3 (state)
    return (Number(f[11]) + Number(f[12])) / CLK_TCK; // fields 14 and 15
  } catch { return undefined; }
}
function parentOf(pid) {
  try { const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8'); return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]); } catch { return undefined; }
}
/** [busy, total] jiffies of the whole machine. */
function machineTicks() {
  const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number), total = f.reduce((a, b) => a + b, 0);
  return [total - f[3] - f[4], total]; // idle and iowait are not busy
}
/** The pid listening on a TCP port, from `ss -ltnp` (falls back to /proc/net/tcp). */
function pidOfPort(port) {
  try {
    const m = /pid=(\d+)/.exec(execFileSync('ss', ['-Hltnp', `sport = :${port}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    if (m) return Number(m[1]);
  } catch { /* no ss: /proc */ }
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const line = fs.readFileSync('/proc/net/tcp', 'utf8').split('\n').map((l) => l.trim().split(/\s+/)).find((c) => c[1]?.endsWith(`:${hex}`) && c[3] === '0A');
  if (!line) return undefined;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try { if (fs.readdirSync(`/proc/${pid}/fd`).some((fd) => fs.readlinkSync(`/proc/${pid}/fd/${fd}`) === `socket:[${line[9]}]`)) return Number(pid); } catch { /* not ours */ }
  }
  return undefined;
}
/**
 * PostgreSQL processes that work for us: the backends of our databases (titles
 * "postgres: <user> <db> <client> <state>") and the server's own processes (postmaster,
 * checkpointer, walwriter…), which the writes keep busy. Backends of other databases are not ours.
 */
function postgresPids(dbs) {
  const out = [];
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let cmd;
    try { cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'); } catch { continue; }
    if (/^\S*\/bin\/postgres\0/.test(cmd)) { out.push(Number(pid)); continue; } // the postmaster
    if (!cmd.startsWith('postgres: ')) continue;
    const t = cmd.replace(/\0/g, ' ').trim().split(/\s+/).slice(1);
    const backend = t.length >= 3 && /^(\d|\[|localhost)/.test(t[2]);
    if (!backend || dbs.includes(t[1])) out.push(Number(pid));
  }
  return out;
}

/**
 * Samples the CPU of process groups every 500 ms and sums the deltas, so that processes that
 * come and go (PostgreSQL backends of pools with idle timeouts) lose at most one interval.
 * groups: name → () => pids. The load generator is this process; "other" is the rest of the machine.
 */
function cpuSampler(groups) {
  const last = new Map(), sums = Object.fromEntries(Object.keys(groups).map((k) => [k, 0]));
  const tick = (first) => {
    for (const [name, pids] of Object.entries(groups)) {
      for (const pid of pids()) {
        const v = procCpu(pid);
        if (v === undefined) continue;
        const key = `${name}:${pid}`;
        if (!first) sums[name] += v - (last.get(key) ?? 0); // a process seen for the first time counts from 0
        last.set(key, v);
      }
    }
  };
  tick(true);
  const m0 = machineTicks(), me0 = process.cpuUsage(), t0 = performance.now();
  const timer = setInterval(() => tick(false), 500);
  return () => {
    clearInterval(timer); tick(false);
    const seconds = (performance.now() - t0) / 1000, m1 = machineTicks(), me = process.cpuUsage(me0);
    const r = Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / seconds]));
    r.loadgen = (me.user + me.system) / 1e6 / seconds;
    r.machine = ((m1[0] - m0[0]) / Math.max(1, m1[1] - m0[1])) * os.availableParallelism();
    r.other = r.machine - Object.keys(groups).reduce((s, k) => s + r[k], 0) - r.loadgen;
    return r;
  };
}
/** Best effort on a shared machine: wait (≤ 10 s) until it is below `pct` % busy; returns the last reading (fraction of the machine). */
async function waitIdle(pct) {
  let busy = 1;
  for (let i = 0; i < 10 && (i === 0 || busy * 100 > pct); i++) {
    const a = machineTicks(); await sleep(1000); const b = machineTicks(); busy = (b[0] - a[0]) / Math.max(1, b[1] - a[1]);
  }
  return busy;
}

// ==== HTTP, load and writes =====================================================================
const ERRORS = Buffer.from('"errors"');
function post(agent, url, body, headers = {}, timeout = 180_000) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, timeout,
      headers: { 'content-type': 'application/json', accept: 'application/json', 'content-length': body.length, ...headers } }, (res) => {
      const chunks = []; res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, buf: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout'))).on('error', reject).end(body);
  });
}
async function gql(url, query, variables, headers) {
  const r = await post(undefined, url, Buffer.from(JSON.stringify({ query, variables })), headers);
  let json;
  try { json = JSON.parse(r.buf.toString('utf8')); } catch { throw new Error(`${url}: HTTP ${r.status} ${r.buf.toString('utf8', 0, 300)}`); }
  if (r.status !== 200 || json.errors) throw new Error(`${url}: HTTP ${r.status} ${JSON.stringify(json.errors ?? json).slice(0, 500)}`);
  return json.data;
}
function getStatus(url) {
  return new Promise((resolve) => { http.get(url, { timeout: 1000 }, (res) => { res.resume(); resolve(res.statusCode); }).on('error', () => resolve(0)).on('timeout', function () { this.destroy(); }); });
}
const quantile = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] : NaN);

/**
 * `connections` loops, each sending its next request when the previous answer is in, until
 * `seconds` have passed and at least `minRequests` have been answered (or `maxSeconds`).
 */
async function load(url, body, seconds, connections, minRequests = 0, maxSeconds = Infinity) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies = []; let errors = 0, firstError, bytes = 0;
  const t0 = performance.now(), end = t0 + seconds * 1000, hardEnd = t0 + maxSeconds * 1000;
  const more = () => { const t = performance.now(); return t < hardEnd && (t < end || latencies.length + errors < minRequests); };
  const loop = async () => {
    while (more()) {
      const t = performance.now();
      try {
        const r = await post(agent, url, body);
        if (r.status === 200 && !r.buf.includes(ERRORS)) { latencies.push(performance.now() - t); bytes = r.buf.length; }
        else { errors++; firstError ??= `HTTP ${r.status} ${r.buf.toString('utf8', 0, 300)}`; }
      } catch (err) { errors++; firstError ??= String(err); }
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  const wall = (performance.now() - t0) / 1000;
  agent.destroy(); latencies.sort((a, b) => a - b);
  return { requests: latencies.length, errors, firstError, wall, bytes, rps: latencies.length / wall,
    p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), max: latencies.length ? latencies[latencies.length - 1] : NaN };
}

const MUTATION = 'mutation($input: ReceiveCaseInput!, $key: String!) { receiveCase(input: $input, idempotencyKey: $key) { id } }';
/**
 * The writer: `rate` receiveCase mutations a second on random current wards of `hub`, at most
 * `concurrency` in flight (a write more than a second late is skipped and counted as not sent).
 * Every write is recorded with its send time, so that a window's writes can be counted.
 */
function startWriter(hub, rate, concurrency, keyPrefix) {
  const records = []; let stopped = false, inflight = 0, started = 0, notSent = 0;
  if (!(rate > 0)) return { stats: () => undefined, stop: async () => {} };
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency, timeout: 4000 });
  const today = todayInVietnam(), t0 = performance.now(), headers = { authorization: `Bearer ${hub.token}` };
  const launch = (n) => {
    const ward = hub.wards[Math.floor(Math.random() * hub.wards.length)];
    const body = Buffer.from(JSON.stringify({ query: MUTATION, variables: { input: { unitId: ward, receivedOn: today, judgmentRef: `${n}/2026/BR` }, key: `${keyPrefix}-${n}` } }));
    const rec = { sent: performance.now(), rtt: undefined, ok: false, error: undefined };
    records.push(rec); inflight++;
    post(agent, hub.url, body, headers, 30_000).then((r) => {
      rec.rtt = performance.now() - rec.sent;
      if (r.status === 200 && !r.buf.includes(ERRORS) && r.buf.includes('"receiveCase":{"id"')) rec.ok = true;
      else rec.error = `HTTP ${r.status} ${r.buf.toString('utf8', 0, 300)}`;
    }, (err) => { rec.error = String(err); }).finally(() => inflight--);
  };
  const timer = setInterval(() => {
    if (stopped) return;
    const due = Math.floor(((performance.now() - t0) * rate) / 1000) + 1;
    if (due - started > rate) { notSent += due - started - Math.ceil(rate); started = due - Math.ceil(rate); }
    while (started < due && inflight < concurrency) launch(started++);
  }, 5);
  return {
    /** Writes sent in [from, to) (performance.now() times). */
    stats(from, to) {
      const w = records.filter((r) => r.sent >= from && r.sent < to), ok = w.filter((r) => r.ok), rtt = ok.map((r) => r.rtt).sort((a, b) => a - b);
      return { asked: Math.round((rate * (to - from)) / 1000), sent: w.length, ok: ok.length, failed: w.filter((r) => r.error).length,
        perSecond: ok.length / ((to - from) / 1000), rttP50: quantile(rtt, 0.5), rttP99: quantile(rtt, 0.99), firstError: w.find((r) => r.error)?.error, notSent };
    },
    async stop() { stopped = true; clearInterval(timer); for (let i = 0; i < 300 && inflight > 0; i++) await sleep(100); agent.destroy(); },
  };
}

/** An HS256 bearer token as the hub's `keys --action token` signs it (cli/src/commands/keys.ts, gateway/src/auth/jwt.ts). */
function signToken(secret, claims) {
  const now = Math.floor(Date.now() / 1000);
  const h = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const p = Buffer.from(JSON.stringify({ ...claims, iat: now, exp: now + 6 * 3600 })).toString('base64url');
  return `${h}.${p}.${createHmac('sha256', secret).update(`${h}.${p}`).digest('base64url')}`;
}

// ==== builds, databases, hubs ===================================================================
const git = (args, cwd = ROOT) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const LOGS = path.join(ROOT, '.bench-cache', 'logs');
const log = (line) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

/** Runs a command with its output appended to a log file; on failure, throws with the log's tail. */
function run(cmd, args, cwd, logFile, env = process.env) {
  return new Promise((resolve, reject) => {
    const out = fs.openSync(logFile, 'a');
    fs.writeSync(out, `\n$ ${cmd} ${args.join(' ')}   (in ${cwd})\n`);
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', out, out] });
    fs.closeSync(out);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) return resolve();
      const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-25).join('\n');
      reject(new Error(`${cmd} ${args.join(' ')} failed (${code ?? signal}) in ${cwd}; end of ${logFile}:\n${tail}`));
    });
  });
}

/** The before build: git archive of the ref, npm ci, npm run build, once; a marker file says it is ready. */
async function prepareBaseline(o, sha) {
  const dir = o.cache ?? path.join(ROOT, '.bench-cache', sha), marker = path.join(dir, '.bench-reads-ready');
  if (fs.existsSync(marker) && fs.existsSync(path.join(dir, 'cli/dist/main.js'))) {
    log(`before: ${sha.slice(0, 12)} already built in ${path.relative(ROOT, dir) || dir} (marker ${path.basename(marker)})`);
    return dir;
  }
  fs.mkdirSync(LOGS, { recursive: true });
  const logFile = path.join(LOGS, `prepare-${sha.slice(0, 12)}.log`);
  fs.writeFileSync(logFile, `preparing ${sha} in ${dir}\n`);
  log(`before: preparing ${sha.slice(0, 12)} in ${dir} (git archive | tar -x, npm ci, npm run build; about a minute; log ${path.relative(ROOT, logFile)})`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  await run('bash', ['-c', `git -C "$0" archive --format=tar "$1" | tar -x -C "$2"`, ROOT, sha, dir], ROOT, logFile);
  await run('npm', ['ci', '--no-audit', '--no-fund'], dir, logFile);
  await run('npm', ['run', 'build'], dir, logFile);
  fs.writeFileSync(marker, JSON.stringify({ sha, preparedAt: new Date().toISOString(), node: process.version }) + '\n');
  log('before: ready');
  return dir;
}

/** The raw tables the naive statements read: analyzed in both databases after seeding (see --no-analyze). */
const ANALYZED = ['cases.case_event', 'finances.money_event', 'org_units.org_unit', 'org_units.rollup_edge'];
function dbUrl(o, name) { const u = new URL(o.pgUrl); u.pathname = `/${name}`; return u.href; }
async function adminQuery(o, sql) {
  const { Client } = require('pg');
  const c = new Client({ connectionString: dbUrl(o, 'postgres') });
  await c.connect();
  try { return (await c.query(sql)).rows; } finally { await c.end(); }
}
async function recreateDatabase(o, name) {
  await adminQuery(o, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await adminQuery(o, `CREATE DATABASE ${name}`);
}

/** `hub seed` of a build into its database; returns the summary line's figures. */
async function seed(o, build, db) {
  fs.mkdirSync(LOGS, { recursive: true });
  const logFile = path.join(LOGS, `seed-${build.name}.log`);
  fs.writeFileSync(logFile, '');
  const t0 = performance.now();
  const cli = path.join(build.dir, 'cli/dist/main.js');
  // A build whose demo data reaches today is seeded up to --until: both databases then hold the same facts.
  const until = execFileSync(process.execPath, [cli, 'seed', '--help'], { encoding: 'utf8' }).includes('--until') ? ['--until', o.until] : [];
  await run(process.execPath, [cli, 'seed', '--cases', String(o.cases), '--seed', o.seed, ...until], build.dir, logFile, { ...process.env, DATABASE_URL: dbUrl(o, db) });
  const text = fs.readFileSync(logFile, 'utf8');
  const m = /seeded (\d+) units, (\d+) cases \((\d+) case events, (\d+) money events\), (\d+) petitions/.exec(text);
  return { seconds: (performance.now() - t0) / 1000, units: m && Number(m[1]), cases: m && Number(m[2]), caseEvents: m && Number(m[3]), moneyEvents: m && Number(m[4]) };
}

const started = []; // { name, child, pgid } hubs and servers, stopped on exit
function portFree(port) {
  return new Promise((resolve) => { const s = require('node:net').createServer().once('error', () => resolve(false)).listen(port, '127.0.0.1', () => s.close(() => resolve(true))); });
}

/** `hub start --port P` of a build, in a process group of its own; waits for the gateway's /ready. */
async function startHub(o, build, db, port) {
  for (let p = port; p <= port + 4; p++) if (!(await portFree(p))) throw new Error(`port ${p} is taken: pass another --port`);
  const secrets = { AUTH_JWT_SECRET: randomBytes(32).toString('hex'), IDENTITY_SECRET: randomBytes(32).toString('hex') };
  // Benchmarks measure the hub, not its limits: thousands of requests and subscriptions on one token.
  const env = { ...process.env, DATABASE_URL: dbUrl(o, db), ...secrets, RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_GLOBAL_PER_MINUTE: '0', LIVE_MAX_SUBSCRIPTIONS_PER_PRINCIPAL: '0', LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION: '0' };
  if (o.maxCost !== undefined) env.MAX_COST = String(o.maxCost);
  fs.mkdirSync(LOGS, { recursive: true });
  const logFile = path.join(LOGS, `hub-${build.name}.log`), out = fs.openSync(logFile, 'w');
  const child = spawn(process.execPath, [path.join(build.dir, 'cli/dist/main.js'), 'start', '--port', String(port)], { cwd: build.dir, env, stdio: ['ignore', out, out], detached: true });
  fs.closeSync(out);
  const entry = { name: `hub ${build.name}`, child, pgid: child.pid };
  started.push(entry);
  const url = `http://127.0.0.1:${port}/graphql`, until = Date.now() + 180_000;
  while ((await getStatus(`http://127.0.0.1:${port}/ready`)) !== 200) {
    if (child.exitCode !== null || Date.now() > until) {
      throw new Error(`the ${build.name} hub ${child.exitCode !== null ? `exited (${child.exitCode})` : 'was not ready in 180 s'}; end of ${logFile}:\n${fs.readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n')}`);
    }
    await sleep(250);
  }
  const gateway = pidOfPort(port), subgraphs = [1, 2, 3, 4].map((i) => pidOfPort(port + i));
  for (const pid of [gateway, ...subgraphs]) if (!pid || parentOf(pid) !== child.pid) throw new Error(`port ${port}..${port + 4}: a process that is not this hub's (${pid}) listens there`);
  let gatewayEnv = {};
  try { gatewayEnv = Object.fromEntries(fs.readFileSync(`/proc/${gateway}/environ`, 'utf8').split('\0').filter(Boolean).map((l) => l.split(/=(.*)/s).slice(0, 2))); } catch { /* unreadable */ }
  const token = signToken(secrets.AUTH_JWT_SECRET, { sub: 'bench-reads', role: 'reporter', units: [1] });
  return { ...entry, build, db, url, port, token, cli: child.pid, gateway, subgraphs: { 'org-units': subgraphs[0], cases: subgraphs[1], finances: subgraphs[2], complaints: subgraphs[3] },
    gatewayEnv: { RATE_LIMIT_PER_MINUTE: gatewayEnv.RATE_LIMIT_PER_MINUTE, MAX_COST: gatewayEnv.MAX_COST, AUTH_ANONYMOUS: gatewayEnv.AUTH_ANONYMOUS } };
}

function alive(child) { return child.exitCode === null && child.signalCode === null; }
/** Stops everything started: SIGTERM to each hub's process group (the CLI stops its children), SIGKILL after 15 s. */
async function stopAll() {
  for (const s of started) {
    if (s.pgid) { try { process.kill(s.child.pid, 'SIGTERM'); } catch { /* gone */ } }
    else if (s.child.connected) s.child.disconnect();
    else if (alive(s.child)) s.child.kill('SIGTERM');
  }
  const until = Date.now() + 15_000;
  while (Date.now() < until && started.some((s) => alive(s.child))) await sleep(200);
  for (const s of started) {
    if (s.pgid) { try { process.kill(-s.pgid, 'SIGKILL'); } catch { /* the group is gone */ } }
    else if (alive(s.child)) s.child.kill('SIGKILL');
  }
  started.length = 0;
}


module.exports = {
  ROOT, LOGS, todayInVietnam, statisticalYearOf, sleep, procCpu, parentOf, machineTicks, pidOfPort, postgresPids, cpuSampler, waitIdle,
  ERRORS, post, gql, getStatus, quantile, load, startWriter, signToken, git, log, run, prepareBaseline, ANALYZED, dbUrl, adminQuery,
  recreateDatabase, seed, started, portFree, startHub, alive, stopAll,
};
