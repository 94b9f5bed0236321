#!/usr/bin/env node
// What one write costs: the pipelined write path (WRITE_PIPELINE=on) beside one statement a
// round trip (WRITE_PIPELINE=off), in the same run, on the same database. See --help.
'use strict';
const http = require('node:http'), fs = require('node:fs'), os = require('node:os'), path = require('node:path'), net = require('node:net');
const { spawn, execFileSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');
const DATE = '2026-11-20';
const MUTATION = 'mutation($input: ReceiveCaseInput!, $key: String!) { receiveCase(input: $input, idempotencyKey: $key) { id status } }';

const HELP = `Usage: node bench/write-path.js [options]

What one write costs the cases subgraph and PostgreSQL, with the pipelined write path
(WRITE_PIPELINE=on, the default: a case write in 3 round trips) beside one statement a
round trip (WRITE_PIPELINE=off: 11), in the same run. It starts two cases subgraph
processes of this checkout (npm run build first) on the hub's database, one of each, and
sends them receiveCase mutations straight (no gateway), in rounds that alternate the two,
measuring each process's CPU, PostgreSQL's CPU (every postgres process) and writes/s.

The writes are real: cases received ${DATE} on current wards, idempotency keys
writepath-<run>-<n>. Use a database of its own (the one \`hub start\` made for a benchmark).
Environment:
  DATABASE_URL      the hub's database (required)
  IDENTITY_SECRET   the secret the subgraphs trust; default: .data/secrets.json of this checkout

  --writes N        writes per target per round (default 2000)
  --rounds R        rounds of both targets (default 3; the first warms up and is not counted)
  --concurrency C   mutations in flight (default 8)
  --out FILE        append the report to FILE (default bench/results/write-path.md; "-" = none)
  --help            this text
`;

function parseArgs(argv) {
  const o = { writes: 2000, rounds: 3, concurrency: 8, out: path.join(ROOT, 'bench/results/write-path.md') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i], next = () => { if (i + 1 >= argv.length) throw new Error(`${a} needs a value`); return argv[++i]; };
    const int = (min, max) => { const v = Number(next()); if (!Number.isInteger(v) || v < min || v > max) throw new Error(`${a} must be a whole number from ${min} to ${max}`); return v; };
    if (a === '--help' || a === '-h') o.help = true;
    else if (a === '--writes') o.writes = int(100, 100000);
    else if (a === '--rounds') o.rounds = int(2, 20);
    else if (a === '--concurrency') o.concurrency = int(1, 256);
    else if (a === '--out') o.out = next();
    else throw new Error(`unknown option ${a} (see --help)`);
  }
  return o;
}

const TICK_MS = 1000 / 100; // USER_HZ
function cpuMs(pid) {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) * TICK_MS;
  } catch {
    return undefined; // gone
  }
}
function postgresCpu() {
  const out = new Map();
  for (const pid of execFileSync('pgrep', ['-x', 'postgres']).toString().trim().split('\n').filter(Boolean)) {
    const ms = cpuMs(pid);
    if (ms !== undefined) out.set(pid, ms);
  }
  return out;
}
function postgresDelta(before, after) {
  let sum = 0;
  for (const [pid, ms] of after) sum += ms - (before.get(pid) ?? 0); // a backend started meanwhile counts whole
  return sum;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); }).on('error', reject);
  });
}

async function waitReady(port, child, ms = 30000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`the cases subgraph on port ${port} exited (${child.exitCode}); see its output above`);
    const ok = await new Promise((r) => http.get({ host: '127.0.0.1', port, path: '/ready', timeout: 1000 }, (res) => { res.resume(); r(res.statusCode === 200); }).on('error', () => r(false)));
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the cases subgraph on port ${port} was not ready in ${ms / 1000} s`);
}

async function startTarget(mode, env) {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(ROOT, 'services/cases/dist/index.js')], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', WRITE_PIPELINE: mode, OUTBOX_RELAY: 'none', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  await waitReady(port, child);
  return { mode, port, child, agent: new http.Agent({ keepAlive: true, maxSockets: 256 }) };
}

function post(target, body, identity) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: target.port, path: '/graphql', method: 'POST', agent: target.agent, headers: { 'content-type': 'application/json', 'x-thads-identity': identity(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve(text));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function progress(label, done, total, started) {
  const s = (Date.now() - started) / 1000, rate = done / Math.max(s, 0.001);
  const eta = rate > 0 ? (total - done) / rate : 0;
  process.stderr.write(`\r${label}: ${done}/${total} writes, ${rate.toFixed(0)}/s, ETA ${eta.toFixed(0)} s   `);
}

/** One round on one target: N writes, C in flight; CPU of the target and of PostgreSQL over it. */
async function round(target, o, wards, run, offset, identity, label) {
  let next = 0, failed = 0, firstError;
  const cpu0 = cpuMs(target.child.pid), pg0 = postgresCpu(), t0 = Date.now();
  const tick = setInterval(() => progress(label, next, o.writes, t0), 500);
  await Promise.all(Array.from({ length: o.concurrency }, async () => {
    while (next < o.writes) {
      const n = offset + next++;
      const body = JSON.stringify({ query: MUTATION, variables: { input: { unitId: String(wards[n % wards.length]), receivedOn: DATE, judgmentRef: `${n}/2026/WP` }, key: `writepath-${run}-${n}` } });
      const text = await post(target, body, identity);
      if (!text.includes('"receiveCase":{"id"')) { failed++; firstError ??= text.slice(0, 300); }
    }
  }));
  clearInterval(tick);
  progress(label, o.writes, o.writes, t0);
  process.stderr.write('\n');
  const seconds = (Date.now() - t0) / 1000;
  return { seconds, cpu: cpuMs(target.child.pid) - cpu0, pg: postgresDelta(pg0, postgresCpu()), failed, firstError };
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (o.help) return console.log(HELP);
  if (!process.env.DATABASE_URL) throw new Error('set DATABASE_URL to the hub database to write to (see --help)');
  const secret = process.env.IDENTITY_SECRET ?? JSON.parse(fs.readFileSync(path.join(ROOT, '.data/secrets.json'), 'utf8')).identitySecret;
  const { signIdentity } = require(path.join(ROOT, 'services/kit/dist'));
  const { Client } = require('pg');
  const db = new Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  const wards = (await db.query(`SELECT id FROM org_units.org_unit WHERE type = 'WARD' AND valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1) ORDER BY id LIMIT 1000`, [DATE])).rows.map((r) => r.id);
  await db.end();
  if (!wards.length) throw new Error('no ward is valid on ' + DATE + ' in that database: is it a hub database (hub start made it)?');
  // A signature a request, over its body, as the gateway signs them (each is good once, for seconds).
  const identity = (body) =>
    signIdentity({ subject: 'write-path-bench', role: 'reporter', units: [1], families: ['cases'] }, { method: 'POST', target: '/graphql', body, audience: 'cases' }, secret);

  const targets = [await startTarget('on', { IDENTITY_SECRET: secret }), await startTarget('off', { IDENTITY_SECRET: secret })];
  const run = Date.now().toString(36);
  const totals = Object.fromEntries(targets.map((t) => [t.mode, { writes: 0, seconds: 0, cpu: 0, pg: 0, failed: 0 }]));
  let firstError;
  try {
    for (let r = 0; r < o.rounds; r++) {
      // Alternate which goes first, so that neither always runs on a machine the other just warmed.
      for (const target of r % 2 ? [...targets].reverse() : targets) {
        const result = await round(target, o, wards, `${run}-${target.mode}`, r * o.writes, identity, `round ${r + 1}/${o.rounds}${r === 0 ? ' (warm-up)' : ''}, WRITE_PIPELINE=${target.mode}`);
        firstError ??= result.firstError;
        if (r === 0) continue;
        const t = totals[target.mode];
        t.writes += o.writes; t.seconds += result.seconds; t.cpu += result.cpu; t.pg += result.pg; t.failed += result.failed;
      }
    }
  } finally {
    for (const t of targets) t.child.kill('SIGTERM');
  }

  const row = (t) => ({ rate: t.writes / t.seconds, cases: (t.cpu * 1000) / t.writes, pg: (t.pg * 1000) / t.writes });
  const on = row(totals.on), off = row(totals.off);
  const fmt = (v) => Math.round(v).toLocaleString('en-US');
  const md = [
    `## ${new Date().toISOString()}: receiveCase straight to the cases subgraph, ${o.concurrency} in flight`,
    '',
    `- Machine: nproc ${os.cpus().length} (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}; git ${(() => { try { return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim(); } catch { return '?'; } })()}`,
    `- Command: \`node bench/write-path.js ${process.argv.slice(2).join(' ')}\`; ${o.rounds - 1} counted rounds of ${fmt(o.writes)} writes a target (one warm-up round first), the two targets alternating`,
    '',
    '| write path | writes counted (failed) | writes/s | cases subgraph CPU µs a write | PostgreSQL CPU µs a write (all its processes) |',
    '|---|--:|--:|--:|--:|',
    `| pipelined (WRITE_PIPELINE=on) | ${fmt(totals.on.writes)} (${totals.on.failed}) | ${fmt(on.rate)} | ${fmt(on.cases)} | ${fmt(on.pg)} |`,
    `| one statement a round trip (WRITE_PIPELINE=off) | ${fmt(totals.off.writes)} (${totals.off.failed}) | ${fmt(off.rate)} | ${fmt(off.cases)} | ${fmt(off.pg)} |`,
    '',
    `Ratios pipelined ÷ one a round trip: writes/s ${(on.rate / off.rate).toFixed(2)}×, cases CPU ${(on.cases / off.cases).toFixed(2)}×, PostgreSQL CPU ${(on.pg / off.pg).toFixed(2)}×.${firstError ? ` First failed write: ${firstError}` : ''}`,
    '',
  ].join('\n');
  console.log(md);
  if (o.out !== '-') fs.appendFileSync(o.out, md + '\n');
  if (totals.on.failed || totals.off.failed) process.exitCode = 1;
}

main().catch((err) => {
  console.error(`write-path: ${err.message}`);
  process.exit(1);
});
