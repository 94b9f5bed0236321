#!/usr/bin/env node
// Live subscriptions under write load, against the running hub's gateway and, in the same run,
// against a bare `ws` server broadcasting the same payloads (the lower bound).
//
// One file, three roles:
//   parent (default)    finds the gateway, commits the writes, samples /proc, analyses, reports;
//   --worker            a client worker: a share of the graphql-ws clients, records every value;
//   --baseline-server   the bare `ws` server: generates the same changes, coalesces them like the
//                       gateway's live layer and broadcasts a payload of the same shape and size.
// Every process is on this machine and talks over loopback only. See --help.
'use strict';
const http = require('node:http'), fs = require('node:fs'), os = require('node:os'), path = require('node:path');
const { spawn, execFileSync } = require('node:child_process');
const { monitorEventLoopDelay } = require('node:perf_hooks');

const ROOT = path.resolve(__dirname, '..');
const STATS = 'caseStats(period: {fromMonth:"2025-07", toMonth:"2026-12"}, asOf: "2026-11-29") { newlyReceived done }';
const SUBSCRIPTION = `subscription($id: ID!) { liveUnit(id: $id) { id ${STATS} } }`;
const PROVINCE_VALUES = `{ units(type: PROVINCE) { id ${STATS} } }`;
// One province at a time: the gateway's cost limit refuses all provinces' children in one query.
const CHILDREN = 'query($id: ID!) { unit(id: $id) { id children { id } } }';
const MUTATION = 'mutation($input: ReceiveCaseInput!, $key: String!) { receiveCase(input: $input, idempotencyKey: $key) { id } }';
const WRITE_INPUT = { receivedOn: '2026-11-20', judgmentRef: 'b/2026' };

const HELP = `Usage: node bench/live-subscriptions.js [options]

N graphql-ws clients subscribe to the 34 provinces' live totals (liveUnit → caseStats
{ newlyReceived done }, client i on province i mod 34) while this script commits R changes/s
(receiveCase on random wards) for D seconds. It measures, per message, the time from the
commit of a write to the moment a client has a value that includes it, plus the gateway's
CPU and RSS. Then, in the same run, the same client workers subscribe to a bare \`ws\` server
that generates the same changes (R/s over the same wards), coalesces them per province to the
same window, and broadcasts graphql-ws "next" messages of the same shape and size: the lower
bound of the fan-out on this machine.

Needs a running hub (node cli/dist/main.js start --port 4700 …); it is only read from and
written to through its gateway: GraphQL over HTTP, graphql-ws, GET /metrics. The writes are
real: each one receives a case (judgment b/2026, received 2026-11-20) in the hub's database,
with idempotency key livebench-<run>-<n>. Use a database of its own.

Credentials come from the environment, never the command line (which goes into the report):
  LIVEBENCH_TOKEN        bearer token (or API key) for the subscriptions and the HTTP reads;
                         unset = anonymous (a local hub started without --secure lets anonymous
                         callers read as the ministry)
  LIVEBENCH_WRITE_TOKEN  for the mutations: a reporter covering every ward, e.g.
                         LIVEBENCH_WRITE_TOKEN=$(node cli/dist/main.js keys --action token \
                           --role reporter --units 1 --name livebench --ttl 3600)
The gateway rate-limits each principal (RATE_LIMIT_PER_MINUTE, 600 by default, i.e. 10/s)
and all callers together (RATE_LIMIT_GLOBAL_PER_MINUTE, 60000), and caps the live
subscriptions of one principal (LIVE_MAX_SUBSCRIPTIONS_PER_PRINCIPAL, 200): for --rate above
10/s or more than 200 clients on one token, start the hub with RATE_LIMIT_PER_MINUTE=0
RATE_LIMIT_GLOBAL_PER_MINUTE=0 LIVE_MAX_SUBSCRIPTIONS_PER_PRINCIPAL=0 in its environment,
and say so with --note.

  --url URL               gateway (default http://127.0.0.1:4700/graphql); loopback only
  --spread-url URL        a second gateway (a replica on the same subgraphs and database): every
                          other client subscribes there and every other write goes there; CPU and
                          RSS are still the --url gateway's only
  --write-url URL         a second gateway taking every write (the clients stay on --url): a
                          replica kept for the mutations, beside the one serving the dashboards
  --gateway-pid PID       the gateway process, for CPU and RSS (default: the process listening
                          on the URL's port, found with \`ss -ltnp\`)
  --clients N             graphql-ws clients (default 10000, at most 40000)
  --workers K             client worker processes (default 4); clients are split evenly
  --rate R                changes per second asked for (default 200, at most 2000); the writer
                          never has more than --concurrency in flight and stops after
                          --duration, so a slower hub commits fewer: the report says how many
  --duration S            seconds of writes (default 30, at most 120)
  --warmup S              messages received in the first S seconds of writes are not counted (default 3)
  --concurrency C         mutations in flight at most (default 128: at 32 the round trips of a
                          loaded hub cap the writer near 100/s)
  --window MS             the baseline's coalescing window; must match the gateway's
                          LIVE_WINDOW_MS (default 250)
  --baseline-rate R       changes/s for the baseline (default: the rate the gateway phase
                          actually committed, so both fan out the same per-province rate;
                          --rate when the gateway phase is not run)
  --connect-concurrency N handshakes in flight per worker (default 50)
  --connect-timeout S     longest wait for one client's first value (default 120)
  --quiet S               quiescence: no message for S seconds after the last write (default 3)
  --settle-timeout S      longest wait for every client to reach the final value (default 30)
  --targets LIST          gateway, baseline, loaded-baseline (default all three, in that order);
                          loaded-baseline is the bare ws server again while the hub takes as
                          many mutations a second as the baseline makes changes (no subscriber
                          on the gateway): the floor for
                          any live layer on a machine that also carries the hub's write path
  --nofile N              open-file soft limit for the workers and the baseline server (default:
                          their sockets + 512); when above ours they start through bash with
                          \`ulimit -Sn N\` (Node itself also raises its soft limit to the hard one)
  --wait-idle PCT         before each target, wait (at most 60 s) until the machine is less than
                          PCT % of one core busy, for a shared machine (default 30; 0 = no wait)
  --db URL                the hub's database, whose commit notifications (LISTEN thads_changes)
                          time each write's commit (default: the gateway process's DATABASE_URL,
                          read from /proc/<pid>/environ; without one, commit times fall back to
                          the mutations' HTTP responses)
  --note TEXT             a line for the report (how the hub was started, which build)
  --out FILE              write the results to FILE, replacing the last run with the same clients and rate (default bench/results/live-subscriptions.md; "-" = none)
  --max-runtime S         hard stop: kill everything and exit 1 after S seconds (default 600)
  --help

Latency definitions (a province's count is its initial newlyReceived plus the writes
committed to its wards; "commit time" is when PostgreSQL's notification of the write's commit
(the outbox's NOTIFY, sent by PostgreSQL as the transaction commits) reached this process, or,
without the database, when the mutation's HTTP response arrived here (later, so latencies look
shorter: a gateway slow to answer its mutations then hides its own delay); for the baseline it
is when its server generated the change):
  oldest   per message: receive time − commit time of the OLDEST write the message newly
           reflects (the first write after the client's previous value). Conservative: a
           coalesced message is charged for the longest-waiting write it carries.
  newest   per message: receive time − commit time of the write that made the count reach the
           delivered value (the latest write reflected). Optimistic.
  w×c      every (write, subscribed client) pair: commit → first value that includes the write.
  upper    as oldest, but from the earliest moment the count could have reached the value (the
           k-th earliest send of that province's mutations): an upper bound, useful when the
           mutations' round trips are long and clients see a value before its response arrives.
  send     baseline only: receive time − time its server started broadcasting that value.
Receive times are taken in the workers, commit times in this process, on the same monotonic
clock (process.hrtime). Warm-up messages and writes before the warm-up end are left out.`;

// ---- arguments --------------------------------------------------------------------------------
const FLAGS = {
  '--url': ['url', 'str'], '--spread-url': ['spreadUrl', 'str'], '--write-url': ['writeUrl', 'str'], '--gateway-pid': ['gatewayPid', 'num'], '--clients': ['clients', 'num'], '--workers': ['workers', 'num'],
  '--rate': ['rate', 'num'], '--duration': ['duration', 'num'], '--warmup': ['warmup', 'num'], '--concurrency': ['concurrency', 'num'],
  '--window': ['window', 'num'], '--connect-concurrency': ['connectConcurrency', 'num'], '--connect-timeout': ['connectTimeout', 'num'],
  '--quiet': ['quiet', 'num'], '--settle-timeout': ['settleTimeout', 'num'], '--targets': ['targets', 'list'], '--nofile': ['nofile', 'num'],
  '--out': ['out', 'str'], '--max-runtime': ['maxRuntime', 'num'], '--baseline-rate': ['baselineRate', 'num'],
  '--wait-idle': ['waitIdle', 'num'], '--note': ['note', 'str'], '--db': ['db', 'str'],
};
const LIMITS = { clients: [1, 40000], workers: [1, 16], rate: [1, 2000], duration: [1, 120], warmup: [0, 60], concurrency: [1, 256],
  window: [0, 10000], connectConcurrency: [1, 1000], connectTimeout: [1, 600], quiet: [0.5, 60], settleTimeout: [1, 300], maxRuntime: [10, 3600], waitIdle: [0, 10000] };

function parseArgs(argv) {
  const o = { url: 'http://127.0.0.1:4700/graphql', gatewayPid: undefined, clients: 10000, workers: 4, rate: 200, duration: 30, warmup: 3,
    concurrency: 128, window: 250, connectConcurrency: 50, connectTimeout: 120, quiet: 3, settleTimeout: 30, targets: ['gateway', 'baseline', 'loaded-baseline'],
    nofile: undefined, out: path.join(ROOT, 'bench/results/live-subscriptions.md'), maxRuntime: 600, waitIdle: 30, role: 'parent' };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i], next = () => { if (i + 1 >= argv.length) throw new Error(`${flag} needs a value`); return argv[++i]; };
    if (flag === '--help' || flag === '-h') o.help = true;
    else if (flag === '--worker') o.role = 'worker';
    else if (flag === '--baseline-server') o.role = 'baseline-server';
    else if (FLAGS[flag]) {
      const [key, kind] = FLAGS[flag], v = next();
      o[key] = kind === 'num' ? Number(v) : kind === 'list' ? v.split(',').filter(Boolean) : v;
      if (kind === 'num' && !Number.isFinite(o[key])) throw new Error(`${flag} needs a number`);
    } else throw new Error(`unknown option ${flag} (see --help)`);
  }
  for (const [key, [lo, hi]] of Object.entries(LIMITS)) if (!(o[key] >= lo && o[key] <= hi)) throw new Error(`--${key} must be between ${lo} and ${hi}`);
  for (const t of o.targets) if (!['gateway', 'baseline', 'loaded-baseline'].includes(t)) throw new Error(`unknown target ${t}`);
  if (o.baselineRate !== undefined && !(o.baselineRate >= 1 && o.baselineRate <= LIMITS.rate[1])) throw new Error(`--baseline-rate must be between 1 and ${LIMITS.rate[1]}`);
  if (!isLoopback(new URL(o.url).hostname)) throw new Error(`not a loopback URL: ${o.url}`);
  for (const u of [o.spreadUrl, o.writeUrl]) if (u && !isLoopback(new URL(u).hostname)) throw new Error(`not a loopback URL: ${u}`);
  if (o.spreadUrl && o.writeUrl) throw new Error('--spread-url and --write-url do not go together');
  return o;
}
const isLoopback = (host) => ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(host);

// ---- shared helpers ---------------------------------------------------------------------------
/** Milliseconds on CLOCK_MONOTONIC: the same clock in every process of the machine. */
const now = () => Number(process.hrtime.bigint()) / 1e6;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const describe = (e) => (e instanceof Error ? e.message : e && typeof e === 'object' && 'code' in e ? `closed ${e.code} ${e.reason ?? ''}`.trim() : Array.isArray(e) ? JSON.stringify(e).slice(0, 300) : String(e));

/** Request/response over the IPC channel: the parent calls, the child answers. */
function rpcClient(child) {
  let seq = 0;
  const pending = new Map();
  child.on('message', (m) => {
    if (m && m.rpc && pending.has(m.rpc)) {
      const p = pending.get(m.rpc);
      pending.delete(m.rpc);
      if (m.error) p.reject(new Error(m.error)); else p.resolve(m.result);
    } else if (m && m.event) child.emit('event', m);
  });
  child.once('exit', (code, signal) => {
    for (const p of pending.values()) p.reject(new Error(`child ${child.pid} exited (${code ?? signal})`));
    pending.clear();
  });
  child.on('error', () => {}); // a send on a closed channel: the call is rejected below or on exit
  return (cmd, args = {}) => new Promise((resolve, reject) => {
    if (!child.connected) return reject(new Error(`child ${child.pid} is gone (exit ${child.exitCode ?? child.signalCode})`));
    const rpc = ++seq;
    pending.set(rpc, { resolve, reject });
    child.send({ rpc, cmd, ...args });
  });
}
function rpcServer(handlers) {
  process.on('message', async (m) => {
    if (!m || !m.rpc) return;
    try { process.send({ rpc: m.rpc, result: await handlers[m.cmd](m) }); } catch (err) { process.send({ rpc: m.rpc, error: err.stack || String(err) }); }
  });
  process.on('disconnect', () => process.exit(0)); // the parent went away: so do we
}

// ---- /proc readings -----------------------------------------------------------------------------
const CLK_TCK = (() => { try { return Number(execFileSync('getconf', ['CLK_TCK']).toString()) || 100; } catch { return 100; } })();
/** CPU seconds (utime + stime) of a process so far; 0 when it has gone. */
function procCpu(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // f[0] is field 3 (state)
    return (Number(f[11]) + Number(f[12])) / CLK_TCK; // fields 14 and 15
  } catch { return 0; }
}
function rssMB(pid) { try { return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024; } catch { return NaN; } }
/** A process's open-file limit: the soft one, or the hard one (the most a soft limit can be raised to). */
function openFileLimit(pid = 'self', which = 'soft') {
  try {
    const m = /Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/.exec(fs.readFileSync(`/proc/${pid}/limits`, 'utf8'));
    return Number(m[which === 'soft' ? 1 : 2].replace('unlimited', 'Infinity'));
  } catch { return NaN; }
}
/** [busy, total] jiffies of the whole machine. */
function machineTicks() {
  const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number), total = f.reduce((a, b) => a + b, 0);
  return [total - f[3] - f[4], total]; // idle and iowait are not busy
}
/** The machine's busy time over the next second, in cores. */
async function busyCores() {
  const a = machineTicks();
  await sleep(1000);
  const b = machineTicks();
  return ((b[0] - a[0]) / (b[1] - a[1])) * os.availableParallelism();
}
/** Best effort on a shared machine: waits (at most `seconds`) until it is below `pct` % of one core busy; the last reading. */
async function waitIdle(pct, seconds) {
  let busy = await busyCores();
  for (let i = 1; i < seconds && busy * 100 > pct; i++) busy = await busyCores();
  return busy;
}
/** Every PostgreSQL process on the machine (all databases: the server is shared). */
function postgresPids() {
  return fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((pid) => {
    try { return /^(postgres\b|\S*\/bin\/postgres\0)/.test(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8')); } catch { return false; } // backends' titles, and the postmaster
  }).map(Number);
}
/** The pid listening on a TCP port, from `ss -ltnp` (falls back to /proc/net/tcp). */
function pidOfPort(port) {
  try {
    const out = execFileSync('ss', ['-Hltnp', `sport = :${port}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const m = /pid=(\d+)/.exec(out);
    if (m) return Number(m[1]);
  } catch { /* no ss: try /proc */ }
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const line = fs.readFileSync('/proc/net/tcp', 'utf8').split('\n').map((l) => l.trim().split(/\s+/)).find((c) => c[1]?.endsWith(`:${hex}`) && c[3] === '0A');
  if (!line) return undefined;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try { if (fs.readdirSync(`/proc/${pid}/fd`).some((fd) => fs.readlinkSync(`/proc/${pid}/fd/${fd}`) === `socket:[${line[9]}]`)) return Number(pid); } catch { /* not ours to read */ }
  }
  return undefined;
}

// ---- HTTP ---------------------------------------------------------------------------------------
const TOKEN = process.env.LIVEBENCH_TOKEN || undefined, WRITE_TOKEN = process.env.LIVEBENCH_WRITE_TOKEN || undefined;
const bearer = (token) => (token ? { authorization: `Bearer ${token}` } : {});
function post(agent, url, body, token = TOKEN) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, timeout: 30_000,
      headers: { 'content-type': 'application/json', accept: 'application/json', 'content-length': Buffer.byteLength(body), ...bearer(token) } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout'))).on('error', reject).end(body);
  });
}
async function gql(url, query, variables) {
  const r = await post(undefined, url, JSON.stringify({ query, variables }));
  const json = JSON.parse(r.text);
  if (r.status !== 200 || json.errors) throw new Error(`${url}: HTTP ${r.status} ${JSON.stringify(json.errors ?? json).slice(0, 400)}`);
  return json.data;
}
function getText(url) {
  return new Promise((resolve, reject) => {
    http.get(url, { timeout: 10_000 }, (res) => { let s = ''; res.setEncoding('utf8'); res.on('data', (c) => (s += c)); res.on('end', () => resolve(s)); }).on('error', reject);
  });
}
async function liveMetrics(url) {
  const text = await getText(new URL('/metrics', url).href);
  return Object.fromEntries([...text.matchAll(/^(thads_(?:live|event_loop)_\w+) (\d+(?:\.\d+)?(?:e-?\d+)?)$/gm)].map((m) => [m[1].replace('thads_live_', ''), Number(m[2])]));
}

// ==== role: client worker =======================================================================
function runWorker() {
  const { createClient } = require('graphql-ws');
  const WebSocket = require('ws');
  let frames = 0, bytes = 0;
  /** ws with a byte counter, to show that both targets send payloads of the same size. */
  class CountingWebSocket extends WebSocket {
    constructor(...args) {
      super(...args);
      this.on('message', (data) => { frames++; bytes += data.length; });
    }
  }
  const clients = []; // { index, p, id, client, t: [], v: [], error?, closed? }
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let messages = 0, lastAt = 0, errors = 0, badValues = 0, firstError, closing = false;
  const fail = (c, what) => { if (closing) return; errors++; c.error ??= what; firstError ??= what; };

  /** Opens one client and subscribes; resolves true on its first value. */
  function open(c, url, timeoutMs) {
    return new Promise((resolve) => {
      let settled = false;
      const done = (ok) => { if (!settled) { settled = true; clearTimeout(timer); resolve(ok); } };
      const timer = setTimeout(() => { fail(c, 'no first value within the connect timeout'); done(false); }, timeoutMs);
      c.client = createClient({
        url, webSocketImpl: CountingWebSocket, lazy: false, retryAttempts: 0, // a drop shows up as an error, not a silent reconnect
        connectionParams: TOKEN ? { authorization: `Bearer ${TOKEN}` } : undefined,
        onNonLazyError: (e) => { fail(c, describe(e)); done(false); },
        on: { closed: (e) => { if (!closing) c.closed ??= describe(e); } },
      });
      c.client.subscribe({ query: SUBSCRIPTION, variables: { id: c.id } }, {
        next: (result) => {
          const t = now();
          const v = result?.data?.liveUnit?.caseStats?.newlyReceived;
          if (typeof v !== 'number') { badValues++; firstError ??= `value without newlyReceived: ${JSON.stringify(result).slice(0, 300)}`; return; }
          c.t.push(t);
          c.v.push(v);
          messages++;
          lastAt = t;
          done(true);
        },
        error: (e) => { fail(c, describe(e)); done(false); },
        complete: () => { if (!closing) c.closed ??= 'completed by the server'; },
      });
    });
  }

  rpcServer({
    async hello() { return { nofile: openFileLimit() } },
    async open({ url, assignments, concurrency, timeoutMs }) {
      for (const [index, p, id] of assignments) clients.push({ index, p, id, t: [], v: [] });
      let next = 0, ok = 0, failed = 0;
      const progress = setInterval(() => process.send({ event: 'progress', ok, failed }), 1000);
      await Promise.all(Array.from({ length: concurrency }, async () => {
        while (next < clients.length) { const c = clients[next++]; if (await open(c, Array.isArray(url) ? url[c.index % url.length] : url, timeoutMs)) ok++; else failed++; }
      }));
      clearInterval(progress);
      process.send({ event: 'progress', ok, failed });
      return { ok, failed, firstError };
    },
    async resetLoop() { loop.reset(); return process.cpuUsage(); },
    async stats() {
      return { messages, lastAt, errors, badValues, firstError, frames, bytes, loopP99: loop.percentile(99) / 1e6, loopMax: loop.max / 1e6,
        closed: clients.filter((c) => c.closed).length, firstClosed: clients.find((c) => c.closed)?.closed };
    },
    /** How many clients hold the final value of their province now; a few that do not. */
    async check({ finals }) {
      let onFinal = 0, waiting = 0;
      const off = [];
      for (const c of clients) {
        const last = c.v.length ? c.v[c.v.length - 1] : undefined;
        if (last === finals[c.p]) { onFinal++; continue; }
        if (!c.error && !c.closed) waiting++; // still subscribed: may yet get there
        if (off.length < 5) off.push({ client: c.index, province: c.id, last, final: finals[c.p], messages: c.v.length, error: c.error, closed: c.closed });
      }
      return { onFinal, notOnFinal: clients.length - onFinal, waiting, off };
    },
    /** Every client's messages, as float64: [index, province, n, t1, v1, …, tn, vn] per client. */
    async dump({ file }) {
      let size = 0;
      for (const c of clients) size += 3 + 2 * c.v.length;
      const a = new Float64Array(size);
      let i = 0;
      for (const c of clients) {
        a[i++] = c.index; a[i++] = c.p; a[i++] = c.v.length;
        for (let k = 0; k < c.v.length; k++) { a[i++] = c.t[k]; a[i++] = c.v[k]; }
      }
      fs.writeFileSync(file, Buffer.from(a.buffer));
      return { clients: clients.length, messages };
    },
    async close() {
      closing = true;
      await Promise.all(clients.map((c) => c.client?.dispose()));
      setTimeout(() => process.exit(0), 200);
      return true;
    },
  });
}

// ==== role: bare ws baseline server ================================================================
function runBaselineServer() {
  const { WebSocketServer } = require('ws');
  let wss, provinces, wardProvince, windowMs;
  const byId = new Map();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  const payloadOf = (p) => `{"data":{"liveUnit":{"id":"${p.id}","caseStats":{"newlyReceived":${p.count},"done":${p.done}}}}}`;
  /** The frame graphql-ws's server sends for a value (same keys, same order). */
  const frame = (sid, payload) => `{"id":${JSON.stringify(sid)},"type":"next","payload":${payload}}`;

  // Coalescing as in the gateway's LiveRegistry: a change marks the province dirty; a dirty
  // province is sent at once if its last send is a window ago, else when the window ends.
  const onChange = (p) => { p.dirty = true; schedule(p); };
  const schedule = (p) => { if (!p.timer) p.timer = setTimeout(() => refresh(p), Math.max(0, p.lastRefresh + windowMs - Date.now())); };
  function refresh(p) {
    p.timer = undefined;
    p.dirty = false;
    if (p.count !== p.last) {
      p.last = p.count;
      const payload = payloadOf(p);
      p.sends.push(p.count, now());
      for (const [ws, sid] of p.subs) ws.send(frame(sid, payload));
    }
    p.lastRefresh = Date.now();
    if (p.dirty) schedule(p);
  }

  function onConnection(ws) {
    const mine = []; // [province, ws] entries to remove on close
    ws.on('message', (data) => {
      let m;
      try { m = JSON.parse(String(data)); } catch { return ws.close(4400, 'bad JSON'); }
      if (m.type === 'connection_init') ws.send('{"type":"connection_ack"}');
      else if (m.type === 'ping') ws.send('{"type":"pong"}');
      else if (m.type === 'subscribe') {
        const p = byId.get(String(m.payload?.variables?.id));
        if (!p) return ws.send(JSON.stringify({ id: m.id, type: 'error', payload: [{ message: 'unknown unit' }] }));
        p.subs.set(ws, m.id);
        mine.push(p);
        ws.send(frame(m.id, payloadOf(p))); // the current value at once, like the gateway
      } else if (m.type === 'complete') for (const p of mine) p.subs.delete(ws);
    });
    ws.on('close', () => { for (const p of mine) p.subs.delete(ws); });
    ws.on('error', () => {});
  }

  rpcServer({
    async listen(m) {
      ({ wardProvince, windowMs } = m);
      provinces = m.provinces.map((x) => ({ id: x.id, count: x.value, done: x.done, last: x.value, subs: new Map(), changes: [], sends: [], lastRefresh: 0, timer: undefined, dirty: false }));
      for (const p of provinces) byId.set(p.id, p);
      wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/graphql', perMessageDeflate: false, backlog: 4096 });
      wss.on('connection', onConnection);
      await new Promise((resolve, reject) => wss.once('listening', resolve).once('error', reject));
      return { port: wss.address().port };
    },
    /** Generates `rate` changes a second over random wards for durationMs; resolves when done. */
    async go({ rate, durationMs }) {
      loop.enable();
      const t0 = now(), total = Math.round((rate * durationMs) / 1000);
      let made = 0;
      await new Promise((resolve) => {
        const tick = () => {
          const due = Math.min(total, Math.floor(((now() - t0) * rate) / 1000) + 1);
          while (made < due) {
            const p = provinces[wardProvince[Math.floor(Math.random() * wardProvince.length)]];
            p.count++;
            p.changes.push(now());
            onChange(p);
            made++;
          }
          if (made < total) setTimeout(tick, 1); else resolve();
        };
        tick();
      });
      loop.disable();
      return { made, seconds: (now() - t0) / 1000, loopP99: loop.percentile(99) / 1e6, loopMax: loop.max / 1e6 };
    },
    async report() { return provinces.map((p) => ({ changes: p.changes, sends: p.sends, final: p.count })); },
    async stop() { for (const c of wss.clients) c.terminate(); wss.close(); setTimeout(() => process.exit(0), 100); return true; },
  });
}

// ==== role: parent ==============================================================================
const children = new Set();
/**
 * Starts this file in another role, with an IPC channel. When it needs more open files than our
 * soft limit, it starts through bash with a raised soft limit (`ulimit -Sn`, up to the hard limit).
 */
function spawnSelf(args, nofile) {
  const argv = [__filename, ...args], stdio = ['ignore', 'inherit', 'inherit', 'ipc'];
  const hard = openFileLimit('self', 'hard');
  if (nofile > hard) throw new Error(`a child process needs ${nofile} open files, above the hard limit ${hard}: use more --workers (the baseline server needs --clients + 512)`);
  const child = nofile > openFileLimit()
    ? spawn('bash', ['-c', `ulimit -Sn ${nofile} && exec "$0" "$@"`, process.execPath, ...argv], { stdio })
    : spawn(process.execPath, argv, { stdio });
  children.add(child);
  child.once('exit', () => children.delete(child));
  child.call = rpcClient(child);
  return child;
}
async function stopChild(child, cmd) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  await Promise.race([child.call(cmd).catch(() => {}), sleep(10_000)]);
  await Promise.race([exited, sleep(3000)]);
  if (child.exitCode === null && child.signalCode === null) { child.kill('SIGKILL'); await exited; }
}

/** The hub as seen through its gateway: provinces with their wards and values, the gateway's pid. */
async function discoverHub(o) {
  const units = (await gql(o.url, PROVINCE_VALUES)).units;
  if (units.length === 0) throw new Error('no provinces: is the hub seeded?');
  const provinces = [];
  for (const u of units) {
    const children = (await gql(o.url, CHILDREN, { id: u.id })).unit.children;
    provinces.push({ id: u.id, value: u.caseStats.newlyReceived, done: u.caseStats.done, wards: children.map((c) => c.id) });
  }
  const wards = provinces.flatMap((p, i) => p.wards.map((id) => ({ id, p: i })));
  if (wards.length === 0) throw new Error('the provinces have no wards');
  const port = Number(new URL(o.url).port || 80);
  const pid = o.gatewayPid ?? pidOfPort(port);
  if (!pid || !fs.existsSync(`/proc/${pid}/stat`)) throw new Error(`no gateway process found on port ${port}; pass --gateway-pid`);
  const subgraphPids = [1, 2, 3, 4].map((i) => pidOfPort(port + i)).filter((p) => p && p !== pid);
  const metrics = await liveMetrics(o.url);
  let entry = '?';
  try { entry = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).slice(1).join(' '); } catch { /* not readable */ }
  if (!('connections' in metrics)) throw new Error('GET /metrics has no thads_live_* counters: is this the hub gateway?');
  return { provinces, wards, pid, subgraphPids, metrics, entry };
}

/** CPU of process groups and the machine, read at a moment; deltas of two give averages. */
function snapshot(groups) {
  const cpu = {};
  for (const [name, pids] of Object.entries(groups)) cpu[name] = new Map((typeof pids === 'function' ? pids() : pids).map((p) => [p, procCpu(p)]));
  return { t: now(), cpu, machine: machineTicks() };
}
/** CPU seconds a group used between two snapshots: processes that appeared count from 0, those that ended are lost. */
function cpuDelta(a, b) {
  let s = 0;
  for (const [pid, v] of b) s += v - (a.get(pid) ?? 0);
  return s;
}
/** Per-second samples of the target's CPU and RSS and the other groups' CPU; the peak RSS. */
function startSampler(groups, targetPid) {
  const samples = [];
  let prev = snapshot(groups), peakRss = rssMB(targetPid);
  const timer = setInterval(() => {
    const cur = snapshot(groups), rss = rssMB(targetPid), dt = (cur.t - prev.t) / 1000;
    peakRss = Math.max(peakRss, rss || 0);
    const s = { t: cur.t, rss, machine: (cur.machine[0] - prev.machine[0]) / (cur.machine[1] - prev.machine[1]) * os.availableParallelism() };
    for (const k of Object.keys(cur.cpu)) s[k] = cpuDelta(prev.cpu[k], cur.cpu[k]) / dt;
    samples.push(s);
    prev = cur;
  }, 1000);
  return { samples, stop: () => clearInterval(timer), peakRss: () => peakRss, groups };
}
/** Averages (CPU cores) between two snapshots. */
function averages(a, b) {
  const dt = (b.t - a.t) / 1000, r = {};
  for (const k of Object.keys(a.cpu)) r[k] = cpuDelta(a.cpu[k], b.cpu[k]) / dt;
  r.machine = (b.machine[0] - a.machine[0]) / (b.machine[1] - a.machine[1]) * os.availableParallelism();
  return r;
}

async function startWorkers(o, phase) {
  const per = Math.ceil(o.clients / o.workers);
  const nofile = o.nofile ?? per + 512;
  const workers = [];
  for (let w = 0; w < o.workers; w++) {
    const child = spawnSelf(['--worker'], nofile);
    child.share = [];
    workers.push(child);
  }
  for (let i = 0; i < o.clients; i++) workers[Math.floor(i / per)].share.push(i);
  // Node raises its own soft limit to the hard one at start; this is what the workers ended up with.
  const limits = await Promise.all(workers.map((w) => w.call('hello')));
  const least = Math.min(...limits.map((l) => l.nofile));
  console.log(`[${phase}] ${o.workers} client workers (pids ${workers.map((w) => w.pid).join(', ')}), ${per.toLocaleString('en')} clients each, open-file limit ${least}`);
  if (least < per + 64) throw new Error(`the workers may open only ${least} files, too few for ${per} clients each: use more --workers`);
  return workers;
}

/** Connects every client (client i → province i mod 34), printing progress; returns the counts. */
async function connectAll(o, workers, url, provinces, phase, sampler) {
  const progress = new Map();
  const onEvent = (w) => (m) => progress.set(w.pid, m);
  workers.forEach((w) => w.on('event', onEvent(w)));
  const t0 = now();
  const ticker = setInterval(() => {
    const ok = [...progress.values()].reduce((s, m) => s + m.ok, 0), failed = [...progress.values()].reduce((s, m) => s + m.failed, 0);
    const last = sampler.samples[sampler.samples.length - 1];
    console.log(`[${phase}] connecting: ${ok.toLocaleString('en')}/${o.clients.toLocaleString('en')} with a first value, ${failed} failed, ${((now() - t0) / 1000).toFixed(0)} s` +
      (last ? ` · target CPU ${pct(last.target)} %, RSS ${fmt(last.rss)} MB, machine ${pct(last.machine)} %` : ''));
  }, 3000);
  const results = await Promise.all(workers.map((w) => w.call('open', {
    url, concurrency: o.connectConcurrency, timeoutMs: o.connectTimeout * 1000,
    assignments: w.share.map((i) => [i, i % provinces.length, provinces[i % provinces.length].id]),
  })));
  clearInterval(ticker);
  workers.forEach((w) => w.removeAllListeners('event'));
  const r = { ok: results.reduce((s, x) => s + x.ok, 0), failed: results.reduce((s, x) => s + x.failed, 0), seconds: (now() - t0) / 1000, firstError: results.find((x) => x.firstError)?.firstError };
  console.log(`[${phase}] connected ${r.ok.toLocaleString('en')}/${o.clients.toLocaleString('en')} in ${r.seconds.toFixed(1)} s (${r.failed} failed${r.firstError ? `; first error: ${r.firstError}` : ''})`);
  return r;
}

/**
 * The writer: `rate` receiveCase mutations a second on random wards, at most `concurrency` in
 * flight, for `duration` seconds (what the hub cannot take in that time is not sent: the
 * achieved rate says so). Per province it records when each successful mutation was sent and
 * when its response arrived.
 */
async function writeToHub(o, hub, runId, rate = o.rate) {
  const listener = await listenCommits(o, hub);
  // Idle sockets are dropped after 4 s, before the server's 5 s keep-alive timeout closes them under a request.
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency, timeout: 4000 });
  const total = Math.round(rate * o.duration), interval = 1000 / rate;
  const commits = hub.provinces.map(() => []); // per province, response arrival times, in order
  const sent = hub.provinces.map(() => []); // per province, send times of the same writes
  const rtt = [];
  let started = 0, inflight = 0, ok = 0, failed = 0, firstError;
  const t0 = now(), stopAt = t0 + o.duration * 1000;
  const launch = (i) => {
    const ward = hub.wards[Math.floor(Math.random() * hub.wards.length)];
    const body = JSON.stringify({ query: MUTATION, variables: { input: { unitId: ward.id, ...WRITE_INPUT }, key: `livebench-${runId}-${i}` } });
    const ts = now();
    inflight++;
    post(agent, o.writeUrl ?? (o.spreadUrl && i % 2 ? o.spreadUrl : o.url), body, WRITE_TOKEN ?? TOKEN).then((r) => {
      const tr = now();
      let json;
      try { json = JSON.parse(r.text); } catch { json = undefined; }
      if (r.status === 200 && json?.data?.receiveCase?.id && !json.errors) { commits[ward.p].push(tr); sent[ward.p].push(ts); rtt.push(tr - ts); ok++; }
      else { failed++; firstError ??= `HTTP ${r.status} ${r.text.slice(0, 300)}`; }
    }, (err) => { failed++; firstError ??= String(err); }).finally(() => inflight--);
  };
  await new Promise((resolve) => {
    const tick = () => {
      const t = now();
      while (started < total && t < stopAt && inflight < o.concurrency && t >= t0 + started * interval) launch(started++);
      if ((started < total && t < stopAt) || inflight > 0) setTimeout(tick, 1); else resolve();
    };
    tick();
  });
  agent.destroy();
  const notified = await listener?.stop();
  if (/RATE_LIMITED/.test(firstError ?? '')) console.log('hint: the gateway rate-limits each principal and all callers; start the hub with RATE_LIMIT_PER_MINUTE=0 RATE_LIMIT_GLOBAL_PER_MINUTE=0 for this benchmark');
  if (/SUBSCRIPTION_LIMIT/.test(firstError ?? '')) console.log('hint: the gateway caps live subscriptions per principal; start the hub with LIVE_MAX_SUBSCRIPTIONS_PER_PRINCIPAL=0 for this benchmark');
  if (/FORBIDDEN|UNAUTHENTICATED/.test(firstError ?? '')) console.log('hint: mutations need a reporter token covering the wards in LIVEBENCH_WRITE_TOKEN (see --help)');
  const seconds = (now() - t0) / 1000;
  rtt.sort((a, b) => a - b);
  // The count of a province reached initial + k no earlier than its k-th earliest send and no
  // later than its k-th response: sorted send times give the earliest possible commit times.
  const earliest = sent.map((s) => Float64Array.from(s).sort());
  // Commit times from the notifications when every province heard exactly its successful writes.
  const byNotice = notified && notified.every((n, p) => n.length === commits[p].length);
  if (notified && !byNotice) console.log('[gateway] the commit notifications do not match the successful writes one for one; commit times fall back to the HTTP responses');
  return { commits: byNotice ? notified : commits, responses: commits, commitSource: byNotice ? 'notification' : 'response', earliest, ok, failed, notSent: total - started, firstError, seconds, rate: ok / seconds, rttP50: quantile(rtt, 0.5), rttP99: quantile(rtt, 0.99) };
}

/** The hub's database URL: --db, else the gateway process's DATABASE_URL. */
function hubDatabaseUrl(o, hub) {
  if (o.db) return o.db;
  try {
    const line = fs.readFileSync(`/proc/${hub.pid}/environ`, 'utf8').split('\0').find((l) => l.startsWith('DATABASE_URL='));
    return line?.slice('DATABASE_URL='.length) || undefined;
  } catch { return undefined; }
}

/**
 * Listens to the outbox's commit notifications (channel thads_changes, payload
 * `<schema>:<outbox id>:<unit ids>:<earliest date>`, sent by PostgreSQL when the write's transaction commits):
 * per province, the arrival time of each cases notification naming one of its wards. That is
 * the commit as seen from outside, whatever the gateway's HTTP answer takes. Undefined when the
 * database is not known or not reachable (commit times then come from the HTTP responses).
 */
async function listenCommits(o, hub) {
  const url = hubDatabaseUrl(o, hub);
  if (!url) { console.log('[gateway] no database URL (--db, or DATABASE_URL of the gateway process): commit times are the HTTP responses\' arrival'); return undefined; }
  const { Client } = require('pg');
  const client = new Client({ connectionString: url, application_name: 'livebench-commits' });
  try {
    await client.connect();
    await client.query('LISTEN thads_changes');
  } catch (err) {
    console.log(`[gateway] cannot listen for commits on the hub's database (${err.message}): commit times are the HTTP responses' arrival`);
    await client.end().catch(() => {});
    return undefined;
  }
  const wardProvince = new Map(hub.wards.map((w) => [Number(w.id), w.p]));
  const times = hub.provinces.map(() => []);
  client.on('notification', (n) => {
    const t = now();
    const [schema, , units] = (n.payload ?? '').split(':');
    if (schema !== 'cases' || !units) return;
    for (const u of units.split(',')) {
      const p = wardProvince.get(Number(u));
      if (p !== undefined) { times[p].push(t); return; }
    }
  });
  return { stop: async () => { await sleep(500); await client.end().catch(() => {}); return times; } };
}

/** Waits until no client got a message for `quiet` s, then until every client holds the final value (bounded). */
async function settle(o, workers, finalsOf, phase) {
  const t0 = now(), deadline = t0 + o.settleTimeout * 1000;
  for (;;) {
    const stats = await Promise.all(workers.map((w) => w.call('stats')));
    const lastAt = Math.max(...stats.map((s) => s.lastAt));
    if (now() - lastAt >= o.quiet * 1000 || now() > deadline) break;
    await sleep(250);
  }
  for (;;) {
    const finals = await finalsOf();
    const checks = await Promise.all(workers.map((w) => w.call('check', { finals })));
    const onFinal = checks.reduce((s, c) => s + c.onFinal, 0), notOnFinal = checks.reduce((s, c) => s + c.notOnFinal, 0);
    const waiting = checks.reduce((s, c) => s + c.waiting, 0); // the others' subscriptions ended with an error
    if (waiting === 0 || now() > deadline) {
      const r = { finals, onFinal, notOnFinal, off: checks.flatMap((c) => c.off).slice(0, 10), seconds: (now() - t0) / 1000 };
      console.log(`[${phase}] settled after ${r.seconds.toFixed(1)} s: ${onFinal.toLocaleString('en')} clients on the final value, ${notOnFinal} not` +
        (notOnFinal ? `, e.g. ${JSON.stringify(r.off.slice(0, 3))}` : ''));
      return r;
    }
    await sleep(1000);
  }
}

/** Reads the workers' dumps: per client { p, t: Float64Array-like, v }. */
async function collect(workers, dir, phase) {
  const clients = [];
  for (let w = 0; w < workers.length; w++) {
    const file = path.join(dir, `${phase}-${w}.f64`);
    await workers[w].call('dump', { file });
    const buf = fs.readFileSync(file);
    const a = new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));
    for (let i = 0; i < a.length;) {
      const index = a[i++], p = a[i++], n = a[i++], t = new Float64Array(n), v = new Float64Array(n);
      for (let k = 0; k < n; k++) { t[k] = a[i++]; v[k] = a[i++]; }
      clients.push({ index, p, t, v });
    }
    fs.rmSync(file);
  }
  return clients;
}

function quantile(sorted, q) { return sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] : NaN; }
function distribution(values) {
  const a = Float64Array.from(values).sort();
  return { n: a.length, p50: quantile(a, 0.5), p99: quantile(a, 0.99), max: a.length ? a[a.length - 1] : NaN, negative: a.filter((x) => x < 0).length };
}

/**
 * Latencies from the clients' messages. initial[p]: count before the writes; commits[p][k-1]: commit
 * time of the write that took p's count to initial[p] + k; sends[p]: [value, time, …] (baseline).
 */
function analyse({ clients, initial, commits, earliest, sends, warmupEnd }) {
  const oldest = [], newest = [], pairs = [], send = [], upper = [];
  const sendAt = sends?.map((s) => { const m = new Map(); for (let i = 0; i < s.length; i += 2) m.set(s[i], s[i + 1]); return m; });
  // Baseline: from the newest change a broadcast carries to the start of that broadcast (the server's own delay).
  const serverDelay = [];
  sends?.forEach((s, p) => { for (let i = 0; i < s.length; i += 2) { const k = s[i] - initial[p]; if (k >= 1 && k <= commits[p].length && s[i + 1] >= warmupEnd) serverDelay.push(s[i + 1] - commits[p][k - 1]); } });
  let messages = 0, firstMismatch = 0, nonIncreasing = 0, unexplained = 0, undelivered = 0, empty = 0;
  for (const c of clients) {
    if (c.v.length === 0) { empty++; continue; }
    const base = initial[c.p], times = commits[c.p];
    if (c.v[0] !== base) firstMismatch++;
    let prev = c.v[0];
    for (let k = 1; k < c.v.length; k++) {
      const t = c.t[k], v = c.v[k];
      if (v <= prev) { nonIncreasing++; prev = Math.max(prev, v); continue; }
      const from = prev - base + 1, to = v - base; // the writes this message newly reflects (1-based)
      prev = v;
      if (from < 1 || to > times.length) { unexplained++; continue; }
      for (let w = from; w <= to; w++) if (times[w - 1] >= warmupEnd) pairs.push(t - times[w - 1]);
      if (t < warmupEnd) continue;
      messages++;
      oldest.push(t - times[from - 1]);
      newest.push(t - times[to - 1]);
      if (earliest) upper.push(t - earliest[c.p][from - 1]);
      const s = sendAt?.[c.p].get(v);
      if (s !== undefined) send.push(t - s);
    }
    for (let w = Math.max(1, prev - base + 1); w <= times.length; w++) if (times[w - 1] >= warmupEnd) undelivered++;
  }
  return { messages, oldest: distribution(oldest), newest: distribution(newest), pairs: distribution(pairs), send: sendAt ? distribution(send) : undefined,
    upper: earliest ? distribution(upper) : undefined, serverDelay: sends ? distribution(serverDelay) : undefined,
    anomalies: { firstMismatch, nonIncreasing, unexplained, undelivered, empty } };
}

/** One target: workers, connections, writes, settling, analysis; the target supplies the writes and the finals. */
async function runPhase(o, hub, target, dir) {
  const phase = target.name;
  const busyBefore = o.waitIdle > 0 ? await waitIdle(o.waitIdle, 60) : await busyCores();
  if (busyBefore * 100 > Math.max(o.waitIdle, 30)) console.log(`[${phase}] warning: the machine is ${pct(busyBefore)} % of one core busy before the run (other work)`);
  const workers = await startWorkers(o, phase);
  // When the target is not the gateway (the baselines), the hub's gateway is a group of its own: it takes the loaded baseline's writes.
  const groups = { target: [target.pid], workers: workers.map((w) => w.pid), subgraphs: hub.subgraphPids, postgres: postgresPids, writer: [process.pid], hubGateway: target.pid === hub.pid ? [] : [hub.pid] };
  const sampler = startSampler(groups, target.pid);
  const rssBefore = rssMB(target.pid);
  try {
    const metrics0 = target.metrics ? await target.metrics() : undefined;
    const s0 = snapshot(groups);
    const connect = await connectAll(o, workers, target.wsUrl, hub.provinces, phase, sampler);
    const s1 = snapshot(groups), rssConnected = rssMB(target.pid);
    await Promise.all(workers.map((w) => w.call('resetLoop')));
    console.log(`[${phase}] changes for ${o.duration} s …`);
    const tw0 = now();
    // Once a second, the query a live refresh runs (one province), timed over HTTP: how long a refresh takes under this load.
    const probes = [];
    const probeTimer = target.probe && setInterval(() => {
      const t = now();
      target.probe(hub.provinces[probes.length % hub.provinces.length].id).then(() => probes.push(now() - t), () => probes.push(NaN));
    }, 1000);
    const writes = await target.write();
    clearInterval(probeTimer);
    const s2 = snapshot(groups);
    console.log(`[${phase}] ${writes.ok.toLocaleString('en')} changes in ${writes.seconds.toFixed(1)} s (${writes.rate.toFixed(1)}/s), ${writes.failed} failed${writes.firstError ? ` (${writes.firstError})` : ''}`);
    const settled = await settle(o, workers, target.finals, phase);
    const s3 = snapshot(groups);
    sampler.stop();
    const stats = await Promise.all(workers.map((w) => w.call('stats')));
    const metrics1 = target.metrics ? await target.metrics() : undefined;
    const extra = target.after ? await target.after() : {};
    const clients = await collect(workers, dir, phase);
    const windowSamples = sampler.samples.filter((s) => s.t > tw0 && s.t <= s2.t + 1000);
    const commits = extra.commits ?? writes.commits;
    const result = {
      name: phase, pid: target.pid, busyBefore, connect, writes, settled, stats, probe: target.probe ? distribution(probes.filter((x) => !Number.isNaN(x))) : undefined,
      probeErrors: probes.filter((x) => Number.isNaN(x)).length,
      analysis: analyse({ clients, initial: target.initial, commits, earliest: extra.earliest, sends: extra.sends, warmupEnd: tw0 + o.warmup * 1000 }),
      // The same, timed from the mutations' HTTP responses (the definition before commit notifications were read).
      byResponse: writes.commitSource === 'notification' ? analyse({ clients, initial: target.initial, commits: extra.responses, warmupEnd: tw0 + o.warmup * 1000 }) : undefined,
      cpuConnect: averages(s0, s1), cpuWrites: averages(s1, s2), cpuSettle: averages(s2, s3),
      cpuPeak: Math.max(...windowSamples.map((s) => s.target), 0), workersPeak: Math.max(...windowSamples.map((s) => s.workers), 0),
      rssBefore, rssConnected, rssPeak: Math.max(sampler.peakRss(), rssMB(target.pid) || 0), rssEnd: rssMB(target.pid),
      // counters (…_total, and histograms' …_sum and …_count) as the change over the phase, gauges as read at its end
      metrics: metrics0 && metrics1 ? Object.fromEntries(Object.keys(metrics1).map((k) => [k, /_(total|sum|count)$/.test(k) ? metrics1[k] - (metrics0[k] ?? 0) : metrics1[k]])) : undefined,
      accounting: commits.map((c, p) => settled.finals[p] - target.initial[p] - c.length), // ≠ 0: the final value is not initial + committed writes
      samples: sampler.samples,
    };
    return result;
  } finally {
    sampler.stop();
    await Promise.all(workers.map((w) => stopChild(w, 'close')));
    if (target.metrics) {
      // After the clients left, the live layer should be empty again (leak check).
      let m;
      for (let i = 0; i < 20; i++) { m = await target.metrics().catch(() => undefined); if (m && m.connections === 0 && m.subscribers === 0 && m.queries === 0) break; await sleep(250); }
      target.leftOver = m && { connections: m.connections, subscribers: m.subscribers, queries: m.queries };
    }
  }
}

// ---- report ------------------------------------------------------------------------------------
const fmt = (v, d = 0) => (v === undefined || v === null || Number.isNaN(v) ? '–' : v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }));
const pct = (cores) => fmt(cores * 100);
const trio = (d) => `${fmt(d.p50)} / ${fmt(d.p99)} / ${fmt(d.max)}`;
const ratio = (a, b) => (a > 0 && b > 0 ? `${fmt(a / b, 1)}×` : '–');
/** The commit the hub was built from, and whether the work tree had changes. */
function gitState() {
  try {
    const head = execFileSync('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['-C', ROOT, 'status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim();
    return `git ${head}${dirty ? ' with uncommitted changes' : ''}`;
  } catch { return 'git ?'; }
}
const shellQuote = (s) => (/^[\w.,:/=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

function report(o, hub, rows, context) {
  const g = rows.find((r) => r.name === 'gateway'), b = rows.find((r) => r.name === 'baseline'), lb = rows.find((r) => r.name === 'loaded-baseline');
  const sum = (st, k) => st.reduce((s, x) => s + x[k], 0);
  const lines = [];
  lines.push(`## ${context.date}: ${fmt(o.clients)} clients, ${fmt(o.rate)} changes/s requested for ${o.duration} s`, '',
    `- Machine: nproc ${context.nproc} (${os.cpus()[0]?.model ?? '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}; machine busy ${pct(context.busyBefore)} % of one core in the second before the run`,
    `- Command: \`${context.command}\``,
    ...(o.note ? [`- Note: ${o.note}`] : []),
    `- Hub: ${o.url}${o.spreadUrl ? ` and, for every other client and write, ${o.spreadUrl}` : ''}${o.writeUrl ? ` (every write through ${o.writeUrl})` : ''}, gateway pid ${hub.pid} (${hub.entry}; this checkout: ${context.git}); credentials: ${TOKEN ? 'LIVEBENCH_TOKEN' : 'anonymous'} for reads and subscriptions, ${WRITE_TOKEN ? 'LIVEBENCH_WRITE_TOKEN' : TOKEN ? 'LIVEBENCH_TOKEN' : 'anonymous'} for writes${hub.subgraphPids.length ? `, subgraph pids ${hub.subgraphPids.join(', ')}` : ''}; ${hub.provinces.length} provinces, ${fmt(hub.wards.length)} wards; clients round robin over the provinces (~${fmt(o.clients / hub.provinces.length)} a province) in ${o.workers} worker processes (graphql-ws ${require('graphql-ws/package.json').version} client on ws ${require('ws/package.json').version})`,
    `- Baseline: a bare \`ws\` server in its own process, the same client workers, the same kind of changes (random wards) at the rate in its row, coalesced per province to ${o.window} ms like the gateway's live layer, graphql-ws "next" frames of the same shape and size`,
    '', '| target | clients with a first value | connect s | changes/s committed | messages counted | latency ms, oldest write: p50 / p99 / max | newest write: p50 / p99 / max | every write × client: p50 / p99 / max | oldest write, from mutation sent (upper bound): p50 / p99 | send → client: p50 / p99 | CPU % avg / peak (writes) | RSS MB: idle / connected / peak | clients on the final value |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
  for (const r of rows) {
    const a = r.analysis;
    lines.push(`| ${r.name === 'gateway' ? `gateway (pid ${r.pid})` : r.name === 'loaded-baseline' ? `bare ws baseline, hub writes beside it (pid ${r.pid})` : `bare ws baseline (pid ${r.pid})`} | ${fmt(r.connect.ok)} / ${fmt(o.clients)} | ${fmt(r.connect.seconds, 1)} | ${fmt(r.writes.rate, 1)} | ${fmt(a.messages)} | ${trio(a.oldest)} | ${trio(a.newest)} | ${trio(a.pairs)} | ${a.upper ? `${fmt(a.upper.p50)} / ${fmt(a.upper.p99)}` : '–'} | ${a.send ? `${fmt(a.send.p50)} / ${fmt(a.send.p99)}` : '–'} | ${pct(r.cpuWrites.target)} / ${pct(r.cpuPeak)} | ${fmt(r.rssBefore)} / ${fmt(r.rssConnected)} / ${fmt(r.rssPeak)} | ${fmt(r.settled.onFinal)} / ${fmt(o.clients)} |`);
  }
  const other = (r) => r.cpuWrites.machine - r.cpuWrites.target - r.cpuWrites.workers - r.cpuWrites.subgraphs - r.cpuWrites.postgres - r.cpuWrites.writer - r.cpuWrites.hubGateway;
  for (const r of rows) {
    if (other(r) > 0.3) lines.push('', `**Disturbed**: other processes used ${pct(other(r))} % of a core during the ${r.name}'s changes (someone else's work on this machine); its figures are worse than the code alone would give.`);
  }
  if (g && b) {
    lines.push('', `Ratios gateway ÷ baseline: latency p50 ${ratio(g.analysis.oldest.p50, b.analysis.oldest.p50)} and p99 ${ratio(g.analysis.oldest.p99, b.analysis.oldest.p99)} (oldest write), ` +
      `p50 ${ratio(g.analysis.newest.p50, b.analysis.newest.p50)} and p99 ${ratio(g.analysis.newest.p99, b.analysis.newest.p99)} (newest write); ` +
      `CPU ${ratio(g.cpuWrites.target, b.cpuWrites.target)}; peak RSS ${ratio(g.rssPeak, b.rssPeak)}; connect time ${ratio(g.connect.seconds, b.connect.seconds)}.`);
  }
  if (g && lb) {
    lines.push('', `Ratios gateway ÷ baseline with the hub's writes beside it: latency p50 ${ratio(g.analysis.oldest.p50, lb.analysis.oldest.p50)} and p99 ${ratio(g.analysis.oldest.p99, lb.analysis.oldest.p99)} (oldest write).` +
      (lb.analysis.oldest.p99 >= 300 ? ` That floor is itself over 300 ms at p99 (${fmt(lb.analysis.oldest.p99)} ms): on this machine no live layer could meet the goal at this rate.` : ''));
  }
  if (g) {
    const full = g.writes.rate >= o.rate * 0.95;
    const goals = [
      [`p99 commit → client under 300 ms (oldest write per message)`, g.analysis.oldest.p99 < 300, `${fmt(g.analysis.oldest.p99)} ms (upper bound ${fmt(g.analysis.upper?.p99)} ms)`],
      [`gateway RSS under 1 GiB`, g.rssPeak < 1024, `peak ${fmt(g.rssPeak)} MB`],
      [`every client ends on the final value`, g.settled.onFinal === o.clients, `${fmt(g.settled.onFinal)} of ${fmt(o.clients)}`],
    ];
    lines.push('', `Goals (gateway)${full ? '' : `, at ${fmt(g.writes.rate, 1)} committed changes/s, not the ${o.rate}/s asked for (the writer could not get more through the hub)`}:`,
      ...goals.map(([what, ok, v]) => `- ${ok ? 'met' : '**NOT met**'}: ${what}: ${v}`));
  }
  lines.push('', '| target | changes committed / failed / not sent | mutation round trip p50 / p99 ms | refresh query over HTTP, 1/s: p50 / max ms | messages/s to clients (writes + settle) | avg frame bytes | target CPU % connect / writes / settle | client workers CPU % avg / peak | worker event-loop delay p99 / max ms | baseline server: event-loop delay p99 / max, newest change → send p50 / p99 / max ms | subgraphs CPU % | PostgreSQL CPU % (all) | this process (writer) CPU % | machine busy % (of 1 core): before / writes | other processes CPU % | live executions / messages / unchanged (metrics Δ) | settle s | errors, closes, anomalies |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|');
  for (const r of rows) {
    const a = r.analysis, st = r.stats, frames = sum(st, 'frames'), m = r.metrics;
    const issues = [
      r.writes.firstError && `first write error: ${r.writes.firstError}`,
      sum(st, 'errors') && `${sum(st, 'errors')} client errors (first: ${st.find((x) => x.firstError)?.firstError})`,
      sum(st, 'badValues') && `${sum(st, 'badValues')} values without data`,
      sum(st, 'closed') && `${sum(st, 'closed')} subscriptions ended by the server (${st.find((x) => x.firstClosed)?.firstClosed})`,
      r.settled.notOnFinal && `not on the final value: ${JSON.stringify(r.settled.off.slice(0, 3))}`,
      a.anomalies.firstMismatch && `${a.anomalies.firstMismatch} first values ≠ the initial value`,
      a.anomalies.nonIncreasing && `${a.anomalies.nonIncreasing} repeated or decreasing values`,
      a.anomalies.unexplained && `${a.anomalies.unexplained} values beyond the committed writes`,
      a.anomalies.undelivered && `${fmt(a.anomalies.undelivered)} write × client pairs never delivered`,
      a.oldest.negative && `${fmt(a.oldest.negative)} messages arrived before their write's ${r.writes.commitSource === 'notification' ? 'commit notification' : 'HTTP response'} (negative latency)`,
      r.hubWrites && `the hub took ${fmt(r.hubWrites.ok)} writes (${fmt(r.hubWrites.rate, 1)}/s, ${fmt(r.hubWrites.failed)} failed${r.hubWrites.firstError ? `: ${r.hubWrites.firstError}` : ''}) beside it, mutation round trip p50 / p99 ${fmt(r.hubWrites.rttP50)} / ${fmt(r.hubWrites.rttP99)} ms`,
      r.byResponse && `timed from the mutations' HTTP responses instead of the commit notifications (the definition before 2026-11-30), oldest write p50 / p99 ${fmt(r.byResponse.oldest.p50)} / ${fmt(r.byResponse.oldest.p99)} ms`,
      r.accounting.some((x) => x !== 0) && `final ≠ initial + committed in ${r.accounting.filter((x) => x !== 0).length} provinces`,
      r.leftOver && (r.leftOver.connections || r.leftOver.subscribers || r.leftOver.queries) && `after the clients left, /metrics still shows ${JSON.stringify(r.leftOver)}`,
    ].filter(Boolean);
    lines.push(`| ${r.name} | ${fmt(r.writes.ok)} / ${fmt(r.writes.failed)} / ${fmt(r.writes.notSent ?? 0)} | ${r.writes.rttP50 !== undefined ? `${fmt(r.writes.rttP50)} / ${fmt(r.writes.rttP99)}` : '–'} | ${r.probe ? `${fmt(r.probe.p50)} / ${fmt(r.probe.max)}${r.probeErrors ? ` (${r.probeErrors} failed)` : ''}` : '–'} | ${fmt(sum(st, 'messages') / (r.writes.seconds + r.settled.seconds + r.connect.seconds))} | ${fmt(frames ? sum(st, 'bytes') / frames : NaN)} | ${pct(r.cpuConnect.target)} / ${pct(r.cpuWrites.target)} / ${pct(r.cpuSettle.target)} | ${pct(r.cpuWrites.workers)} / ${pct(r.workersPeak)} | ${fmt(Math.max(...st.map((x) => x.loopP99)))} / ${fmt(Math.max(...st.map((x) => x.loopMax)))} | ${a.serverDelay ? `${fmt(r.writes.loopP99)} / ${fmt(r.writes.loopMax)}; ${trio(a.serverDelay)}` : '–'} | ${pct(r.cpuWrites.subgraphs)}${r.cpuWrites.hubGateway >= 0.01 ? ` (+ the hub's gateway ${pct(r.cpuWrites.hubGateway)})` : ''} | ${pct(r.cpuWrites.postgres)} | ${pct(r.cpuWrites.writer)} | ${pct(r.busyBefore)} / ${pct(r.cpuWrites.machine)} | ${pct(other(r))} | ${m ? `${fmt(m.executions_total)} / ${fmt(m.messages_total)} / ${fmt(m.unchanged_total)}` : '–'} | ${fmt(r.settled.seconds, 1)} | ${issues.join('; ') || 'none'} |`);
  }
  for (const r of rows.filter((x) => x.metrics && x.metrics.refresh_seconds_count !== undefined)) {
    const mean = (h) => (r.metrics[`${h}_seconds_count`] ? `${fmt((1000 * r.metrics[`${h}_seconds_sum`]) / r.metrics[`${h}_seconds_count`], 1)} ms` : '–');
    lines.push('', `Where the ${r.name}'s time went (means over the run, from its /metrics histograms): notification → live queries marked dirty ${mean('feed')}; dirty → refresh started ${mean('wait')} (the window included); refresh operation ${mean('refresh')} (${fmt(r.metrics.refresh_seconds_count)} operations); new value → last subscriber's frame written ${mean('fanout')}${r.metrics.thads_event_loop_delay_p99_seconds !== undefined ? `; the gateway's event-loop delay p99 ${fmt(1000 * r.metrics.thads_event_loop_delay_p99_seconds)} ms, max ${fmt(1000 * r.metrics.thads_event_loop_delay_max_seconds)} ms` : ''}.`);
  }
  lines.push('', 'Notes:',
    `- Latency is receive time in a client worker (graphql-ws next()) minus commit time, on CLOCK_MONOTONIC in every process. A province's value v means initial + k committed writes; the commit time of the k-th is when PostgreSQL's notification of the k-th commit for that province reached the writer (gateway; LISTEN on the outbox channel: the notification leaves PostgreSQL as the transaction commits, whatever the gateway's answer takes; without the database, the k-th mutation response) or when the baseline server made the k-th change. "Oldest write" charges a message with the first write it newly reflects for that client (the oldest not yet delivered; conservative when a message coalesces several writes); "newest write" with the write that made the count reach the value (optimistic); "every write × client" takes each committed write and each client of its province, up to the first value including it. "From mutation sent" uses the k-th earliest send time of the province's writes instead of the k-th response: the count cannot have reached initial + k earlier, so it bounds the latency from above when mutation round trips are long. Messages received in the first ${o.warmup} s of changes (and, for write × client, writes committed then) are not counted.`,
    `- "send → client" (baseline only) is the pure fan-out: from the server starting to broadcast a value to its arrival in a client.`,
    `- CPU % is of one core (${context.nproc * 100} % = the whole machine), averaged over the ${o.duration} s of changes unless noted; peak = the highest 1-s sample. RSS is /proc/<pid>/status VmRSS sampled every second ("idle" = before the clients connected). "PostgreSQL (all)" sums every postgres process on the machine, other databases included; "other processes" is the machine's busy time (/proc/stat) minus every process above: other people's work on a shared machine, and the kernel.`,
    `- Both targets share the machine with the client workers (and, for the gateway, the subgraphs and PostgreSQL); the baseline has no change feed, no federated query per refresh and no per-subscriber GraphQL layer: it is the floor for ${fmt(o.clients)} sockets here. The baseline "with the hub's writes beside it" runs the same while the hub takes as many mutations a second as it makes changes (no subscriber on the gateway): the floor on a machine that also carries the write path.`);
  return lines.join('\n') + '\n';
}

/**
 * The bare ws baseline. With `hubRunId` (target loaded-baseline), the hub takes the same
 * mutations at the same rate meanwhile, with no subscriber on the gateway: the floor for any live layer
 * on a machine that also carries the hub's write path.
 */
async function runBaseline(o, hub, dir, hubRunId) {
  const name = hubRunId ? 'loaded-baseline' : 'baseline';
  const server = spawnSelf(['--baseline-server'], o.nofile ?? o.clients + 512);
  try {
    const { port } = await server.call('listen', { provinces: hub.provinces.map(({ id, value, done }) => ({ id, value, done })), wardProvince: hub.wards.map((w) => w.p), windowMs: o.window });
    console.log(`[${name}] bare ws server pid ${server.pid} on ws://127.0.0.1:${port}/graphql`);
    let report, hubWrites;
    const rate = o.baselineRate ?? Math.min(o.rate, Math.max(1, Math.round(hub.achievedRate ?? o.rate)));
    console.log(`[${name}] ${rate} changes/s${o.baselineRate ? '' : hub.achievedRate !== undefined ? ' (the rate the gateway phase committed)' : ''}${hubRunId ? ', and as many writes a second to the hub' : ''}`);
    const target = {
      name, pid: server.pid, wsUrl: `ws://127.0.0.1:${port}/graphql`, initial: hub.provinces.map((p) => p.value),
      write: async () => {
        const [g, h] = await Promise.all([server.call('go', { rate, durationMs: o.duration * 1000 }), hubRunId && writeToHub(o, hub, `${hubRunId}-floor`, rate)]);
        hubWrites = h || undefined;
        return { ok: g.made, failed: 0, seconds: g.seconds, rate: g.made / g.seconds, loopP99: g.loopP99, loopMax: g.loopMax };
      },
      finals: async () => { report = await server.call('report'); return report.map((p) => p.final); },
      after: async () => ({ commits: report.map((p) => p.changes), sends: report.map((p) => p.sends) }),
    };
    const row = await runPhase(o, hub, target, dir);
    row.hubWrites = hubWrites;
    return row;
  } finally {
    await stopChild(server, 'stop');
  }
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (o.help) return console.log(HELP);
  if (o.role === 'worker') return runWorker();
  if (o.role === 'baseline-server') return runBaselineServer();

  const killAll = () => { for (const c of children) c.kill('SIGKILL'); };
  process.on('exit', killAll).on('SIGINT', () => process.exit(130)).on('SIGTERM', () => process.exit(143));
  setTimeout(() => { console.error(`stopped: over --max-runtime ${o.maxRuntime} s`); process.exit(1); }, o.maxRuntime * 1000).unref();

  const context = { date: new Date().toISOString(), nproc: Number(execFileSync('nproc').toString().trim()), busyBefore: await busyCores(),
    command: `node bench/live-subscriptions.js ${process.argv.slice(2).map(shellQuote).join(' ')}`.trim(), git: gitState() };
  const hub = await discoverHub(o);
  console.log(`hub ${o.url}: gateway pid ${hub.pid}, ${hub.provinces.length} provinces, ${hub.wards.length} wards, live metrics ${JSON.stringify(hub.metrics)}`);
  const gwLimit = openFileLimit(hub.pid);
  if (gwLimit < o.clients + 500) console.log(`warning: the gateway's open-file limit is ${gwLimit}, below ${o.clients} clients + 500; restart the hub with a higher \`ulimit -n\``);
  if (hub.metrics.connections || hub.metrics.subscribers) console.log(`warning: the gateway already has ${hub.metrics.connections} connections / ${hub.metrics.subscribers} subscribers`);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'live-subscriptions-'));
  const runId = `${Date.now().toString(36)}-${process.pid}`;
  const rows = [];
  try {
    for (const name of o.targets) {
      if (name === 'gateway') {
        const provinces = (await gql(o.url, PROVINCE_VALUES)).units;
        const initial = provinces.map((u) => u.caseStats.newlyReceived);
        let commits, earliest, responses;
        const target = {
          name, pid: hub.pid, wsUrl: o.spreadUrl ? [o.url, o.spreadUrl].map((u) => u.replace(/^http/, 'ws')) : o.url.replace(/^http/, 'ws'), initial,
          metrics: () => liveMetrics(o.url),
          probe: (id) => gql(o.url, `query($id: ID!) { unit(id: $id) { id ${STATS} } }`, { id }),
          write: async () => { const w = await writeToHub(o, hub, runId); ({ commits, earliest, responses } = w); return w; },
          finals: async () => (await gql(o.url, PROVINCE_VALUES)).units.map((u) => u.caseStats.newlyReceived),
          after: async () => ({ commits, earliest, responses }),
        };
        const r = await runPhase(o, hub, target, dir);
        r.leftOver = target.leftOver;
        rows.push(r);
        // the baseline starts from the gateway's final values, so that its payloads have the same digits
        hub.provinces.forEach((p, i) => (p.value = r.settled.finals[i]));
        hub.achievedRate = r.writes.rate;
      } else {
        rows.push(await runBaseline(o, hub, dir, name === 'loaded-baseline' ? runId : undefined));
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const md = report(o, hub, rows, context);
  console.log('\n' + md);
  if (o.out !== '-') {
    const out = path.resolve(o.out);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    // The latest run of each (clients, rate): a run replaces the section of the last one like it; git keeps the history.
    const kind = (section) => /^## [^:]+:[^:]+:[^:]+: (.*?) for /m.exec(section)?.[1];
    const kept = fs.existsSync(out) ? fs.readFileSync(out, 'utf8').split(/\n(?=## )/).slice(1).filter((section) => kind(section) !== kind(md)) : [];
    const head = '# Live subscriptions: gateway vs a bare ws server\n\nWritten by `bench/live-subscriptions.js` (see its `--help`): the latest run of each number of clients and rate.\n';
    fs.writeFileSync(out, [head, ...kept.map((section) => section.trimEnd() + '\n'), md + '\n'].join('\n'));
    console.log(`written to ${path.relative(process.cwd(), out)}`);
  }
}

main().catch((err) => { console.error(err instanceof Error ? err.stack : err); process.exit(1); });
