#!/usr/bin/env node
// Apollo Gateway vs Hive Gateway runtime, side by side on the hub's real (already running)
// subgraphs. Each engine runs in its own child process (this file with --serve) so that its
// CPU and RSS can be read from /proc; the load generator runs in the parent. See bench/README.md.
'use strict';
const http = require('node:http'), fs = require('node:fs'), os = require('node:os'), path = require('node:path');
const { fork, execFileSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');
const HELP = `Usage: node bench/gateway-engines.js [options]
Needs the four subgraphs running (node cli/dist/main.js start --port 4600 → 4601-4604).
  --engines LIST       apollo,hive,hive-router,hive-nodedupe (default: all four; hive-router is
                       Hive Gateway on the Rust query planner of @graphql-hive/router-runtime;
                       hive-nodedupe is Hive
                       with deduplicateInflightRequests=false towards the subgraphs)
  --connections N      concurrent keep-alive connections (default 10)
  --duration-a S       seconds of load for (a) the 34 provinces (default 15)
  --duration-b S       seconds of load for (b) the ~3,321 wards (default 20)
  --warmup S           seconds of untimed load before each timed run (default 3)
  --rounds N           repeat every timed run N times, alternating the order; summary = medians (default 1)
  --max-requests N     cap on requests per timed run (default 200000)
  --port P             first port to try for the gateways, next ones if busy (default 4610)
  --subgraph NAME=URL  override a subgraph URL (default org-units/cases/finances/complaints
                       = http://127.0.0.1:4601..4604/graphql); loopback only
  --supergraph FILE    (default schema/supergraph.graphql)
  --out FILE           markdown results (default bench/results/gateway-engines.md; "-" = none)
  --db NAME            database of the subgraphs, to sum its PostgreSQL backends' CPU (default thads_bench)
  --wait-idle PCT      before each timed run wait (at most 30 s) until the machine is below PCT % busy (default 25)
  --no-baseline        skip the direct cases-subgraph _entities baseline
  --help`;
const QUERIES = [
  { key: 'a', label: '(a) 34 provinces', durationKey: 'durationA',
    query: '{ units(type: PROVINCE) { id name caseStats(period:{year:2025}) { done completionRate } moneyStats(period:{year:2025}) { done } } }',
    casesSelection: 'caseStats(period:{year:2025}) { done completionRate }' },
  { key: 'b', label: '(b) ~3,321 wards', durationKey: 'durationB',
    query: '{ units(type: WARD) { id name caseStats(period:{year:2025}) { done } } }',
    casesSelection: 'caseStats(period:{year:2025}) { done }' },
];

const FLAGS = { '--engines': ['engines', 'list'], '--connections': ['connections', 'num'], '--duration-a': ['durationA', 'num'],
  '--duration-b': ['durationB', 'num'], '--warmup': ['warmup', 'num'], '--rounds': ['rounds', 'num'], '--max-requests': ['maxRequests', 'num'],
  '--port': ['port', 'num'], '--supergraph': ['supergraph', 'path'], '--out': ['out', 'str'], '--db': ['db', 'str'],
  '--wait-idle': ['waitIdle', 'num'], '--serve': ['serve', 'str'] };
function parseArgs(argv) {
  const o = { engines: ['apollo', 'hive', 'hive-router', 'hive-nodedupe'], connections: 10, durationA: 15, durationB: 20, warmup: 3, rounds: 1,
    maxRequests: 200000, port: 4610, baseline: true, serve: null, db: 'thads_bench', waitIdle: 25,
    supergraph: path.join(ROOT, 'schema/supergraph.graphql'), out: path.join(ROOT, 'bench/results/gateway-engines.md'),
    subgraphs: { 'org-units': 'http://127.0.0.1:4601/graphql', cases: 'http://127.0.0.1:4602/graphql',
      finances: 'http://127.0.0.1:4603/graphql', complaints: 'http://127.0.0.1:4604/graphql' } };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i], next = () => { if (i + 1 >= argv.length) throw new Error(`${flag} needs a value`); return argv[++i]; };
    if (flag === '--help' || flag === '-h') o.help = true;
    else if (flag === '--no-baseline') o.baseline = false;
    else if (flag === '--subgraph') { const [name, url] = next().split(/=(.*)/s); o.subgraphs[name] = url; }
    else if (FLAGS[flag]) {
      const [key, kind] = FLAGS[flag], v = next();
      o[key] = kind === 'num' ? Number(v) : kind === 'list' ? v.split(',').filter(Boolean) : kind === 'path' ? path.resolve(v) : v;
      if (kind === 'num' && !(o[key] >= 0)) throw new Error(`${flag} needs a number`);
    } else throw new Error(`unknown option ${flag} (see --help)`);
  }
  o.connections = Math.max(1, o.connections); o.rounds = Math.max(1, o.rounds);
  for (const e of o.engines) if (!['apollo', 'hive', 'hive-router', 'hive-nodedupe'].includes(e)) throw new Error(`unknown engine ${e}`);
  for (const url of Object.values(o.subgraphs)) if (!['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname)) throw new Error(`not a loopback URL: ${url}`);
  for (const [name, url] of Object.entries(o.subgraphs)) { const u = new URL(url); subgraphNames.set(`${u.origin}${u.pathname}`, name); }
  return o;
}

// ---- the subgraphs answer only requests that carry an identity signed with the hub's secret ------
// for that request (method, path, body, subgraph) and used once, as the hub's gateway signs them.
function identitySecret() {
  if (process.env.IDENTITY_SECRET) return process.env.IDENTITY_SECRET;
  const file = path.join(__dirname, '..', '.data', 'secrets.json');
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')).identitySecret;
  throw new Error('set IDENTITY_SECRET to the secret the running subgraphs use (hub start keeps it in .data/secrets.json)');
}
/** Subgraph names by URL (from --subgraph): a signature names the subgraph it is for. */
const subgraphNames = new Map();
const BENCH_IDENTITY = { subject: 'bench', role: 'ministry', units: [], families: ['units', 'cases', 'money', 'complaints'] };
/** A forwarded ministry identity signed for one request to `url` with this body. */
function identityHeader(url, method, body) {
  const { signIdentity } = require(path.join(__dirname, '..', 'services', 'kit', 'dist'));
  const u = new URL(url);
  const audience = subgraphNames.get(`${u.origin}${u.pathname}`) ?? 'gateway';
  return signIdentity(BENCH_IDENTITY, { method, target: u.pathname + u.search, body, audience }, identitySecret());
}
/** A fetch-like function that adds the signed identity over the body it sends (each engine's subgraph calls). */
function signingFetch(fetchFn) {
  return (url, init = {}) => {
    const headers = { ...(init.headers ?? {}) };
    headers['x-thads-identity'] = identityHeader(String(url), init.method ?? 'GET', init.body ?? '');
    return fetchFn(url, { ...init, headers });
  };
}

/** The supergraph with every @join__graph url replaced by ours; fails on a subgraph we have no URL for. */
function loadSupergraph(o) {
  return fs.readFileSync(o.supergraph, 'utf8').replace(/@join__graph\(name: "([^"]+)", url: "[^"]*"\)/g, (_m, name) => {
    if (!o.subgraphs[name]) throw new Error(`no URL for subgraph ${name}; pass --subgraph ${name}=URL`);
    return `@join__graph(name: "${name}", url: "${o.subgraphs[name]}")`;
  });
}

// ---- child: one gateway engine behind a node http server ------------------------------------
async function serve(o) {
  let subgraphCalls = 0; // every outgoing HTTP request of this process goes to a subgraph
  for (const ch of ['http.client.request.start', 'undici:request:create']) require('node:diagnostics_channel').subscribe(ch, () => subgraphCalls++);
  const sdl = loadSupergraph(o);
  let handler, close;
  if (o.serve === 'apollo') {
    const { ApolloGateway } = require('@apollo/gateway');
    const { ApolloServer, HeaderMap } = require('@apollo/server');
    const { ApolloServerPluginLandingPageDisabled } = require('@apollo/server/plugin/disabled');
    const { RemoteGraphQLDataSource } = require('@apollo/gateway');
    const buildService = ({ url }) => {
      const source = new RemoteGraphQLDataSource({ url });
      source.fetcher = signingFetch(source.fetcher);
      return source;
    };
    const apollo = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl: sdl, buildService }),
      plugins: [ApolloServerPluginLandingPageDisabled()], stopOnTerminationSignals: false });
    await apollo.start();
    handler = async (req, res) => {
      try {
        const chunks = [], headers = new HeaderMap();
        for await (const c of req) chunks.push(c);
        const raw = Buffer.concat(chunks).toString('utf8');
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
        const r = await apollo.executeHTTPGraphQLRequest({ context: async () => ({}),
          httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: '', body: raw ? JSON.parse(raw) : undefined } });
        res.writeHead(r.status ?? 200, Object.fromEntries(r.headers));
        if (r.body.kind === 'complete') return void res.end(r.body.string);
        for await (const chunk of r.body.asyncIterator) res.write(chunk);
        res.end();
      } catch (err) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ message: String(err) }] }));
      }
    };
    close = () => apollo.stop();
  } else {
    const { createGatewayRuntime } = require('@graphql-hive/gateway-runtime');
    const gateway = createGatewayRuntime({ supergraph: sdl, logging: 'error', landingPage: false, graphiql: false,
      transports: { http: require('@graphql-mesh/transport-http') },
      plugins: () => [{ onFetch({ url, options, setOptions }) {
        setOptions({ ...options, headers: { ...options.headers, 'x-thads-identity': identityHeader(String(url), options.method ?? 'GET', options.body ?? '') } });
      } }],
      ...(o.serve === 'hive-router' && { unifiedGraphHandler: require('@graphql-hive/router-runtime').unifiedGraphHandler }),
      ...(o.serve === 'hive-nodedupe' && { transportEntries: { '*.http': { options: { deduplicateInflightRequests: false } } } }) });
    [handler, close] = [gateway, () => gateway.dispose()];
  }
  const server = Object.assign(http.createServer(handler), { keepAliveTimeout: 60_000 });
  process.send({ port: await listen(server, o.port, 20) });
  process.on('message', async (m) => {
    if (m === 'calls') process.send({ calls: subgraphCalls });
    if (m === 'stop') { server.closeAllConnections(); server.close(); await Promise.race([close(), sleep(2000)]); process.exit(0); }
  });
  process.on('disconnect', () => process.exit(0));
}

function listen(server, port, tries) {
  return new Promise((resolve, reject) => {
    const onError = (e) => (e.code === 'EADDRINUSE' && tries > 1 ? resolve(listen(server, port + 1, tries - 1)) : reject(e));
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => { server.off('error', onError); resolve(port); });
  });
}

// ---- parent: processes, /proc readings, load generator ---------------------------------------
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ask = (child, msg) => new Promise((resolve) => { child.once('message', resolve); child.send(msg); });

function startChild(engine, port, o) {
  const args = ['--serve', engine, '--port', String(port), '--supergraph', o.supergraph];
  for (const [name, url] of Object.entries(o.subgraphs)) args.push('--subgraph', `${name}=${url}`);
  const child = fork(__filename, args, { env: { ...process.env, NODE_ENV: 'production' } });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ engine, child, pid: child.pid, url: `http://127.0.0.1:${m.port}/graphql`, port: m.port }));
    child.once('exit', (code) => reject(new Error(`${engine} gateway exited with ${code} before it listened`)));
  });
}

const CLK_TCK = (() => { try { return Number(execFileSync('getconf', ['CLK_TCK']).toString()) || 100; } catch { return 100; } })();
/** CPU seconds (user + system) of a process so far. */
function procCpu(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // f[0] is field 3 (state)
  return (Number(f[11]) + Number(f[12])) / CLK_TCK; // fields 14 and 15 (utime, stime)
}
function rssMB(pid) { return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024; }
/** [busy, total] jiffies of the whole machine. */
function machineTicks() {
  const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number), total = f.reduce((a, b) => a + b, 0);
  return [total - f[3] - f[4], total]; // idle and iowait are not busy
}
/** The pid listening on a loopback TCP port (IPv4), found through /proc/net/tcp and /proc/<pid>/fd. */
function pidOfPort(port) {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const line = fs.readFileSync('/proc/net/tcp', 'utf8').split('\n').map((l) => l.trim().split(/\s+/))
    .find((c) => c[1]?.endsWith(`:${hex}`) && c[3] === '0A');
  if (!line) return undefined;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try { if (fs.readdirSync(`/proc/${pid}/fd`).some((fd) => fs.readlinkSync(`/proc/${pid}/fd/${fd}`) === `socket:[${line[9]}]`)) return Number(pid); } catch { /* not ours */ }
  }
  return undefined;
}

/** CPU seconds of some processes; one that has gone counts 0. */
const cpu = (pids) => pids.reduce((sum, p) => { try { return sum + procCpu(p); } catch { return sum; } }, 0);
/** PostgreSQL backends serving database `db` (process titles "postgres: <cluster>: <user> <db> <client> <state>"). */
function pgPids(db) {
  return fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((pid) => {
    try { const t = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'); return t.startsWith('postgres: ') && t.split(/[\s\0]+/).includes(db); } catch { return false; }
  }).map(Number);
}

const ERRORS = Buffer.from('"errors"');
function post(agent, url, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, timeout: 60_000,
      headers: { 'content-type': 'application/json', accept: 'application/json', 'content-length': body.length, 'x-thads-identity': identityHeader(url, 'POST', body) } }, (res) => {
      const chunks = []; res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, buf: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout'))).on('error', reject).end(body);
  });
}
async function gql(url, query, variables) {
  const agent = new http.Agent({ keepAlive: false });
  const r = await post(agent, url, Buffer.from(JSON.stringify({ query, variables })));
  const json = JSON.parse(r.buf.toString('utf8'));
  if (r.status !== 200 || json.errors) throw new Error(`${url}: HTTP ${r.status} ${JSON.stringify(json.errors ?? json).slice(0, 400)}`);
  return json.data;
}

/** `connections` loops, each sending the next request when its answer is in, for `seconds` or `maxRequests`. */
async function load(url, body, seconds, o) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.connections });
  const latencies = []; let errors = 0, firstError;
  const t0 = performance.now(), end = t0 + seconds * 1000;
  const loop = async () => {
    while (performance.now() < end && latencies.length + errors < o.maxRequests) {
      const t = performance.now();
      try {
        const r = await post(agent, url, body);
        if (r.status === 200 && !r.buf.includes(ERRORS)) latencies.push(performance.now() - t);
        else { errors++; firstError ??= `HTTP ${r.status} ${r.buf.toString('utf8', 0, 300)}`; }
      } catch (err) { errors++; firstError ??= String(err); }
    }
  };
  await Promise.all(Array.from({ length: o.connections }, loop));
  const wall = (performance.now() - t0) / 1000;
  agent.destroy(); latencies.sort((a, b) => a - b);
  const pct = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] : NaN);
  return { requests: latencies.length, errors, firstError, wall, rps: latencies.length / wall, p50: pct(0.5), p99: pct(0.99) };
}

/** Best effort against a busy shared machine: wait (≤ 30 s) until it is below `pct` % busy; returns the last reading. */
async function waitIdle(pct) {
  let busy = 1;
  for (let i = 0; i < 30 && busy * 100 > pct; i++) {
    const a = machineTicks(); await sleep(1000); const b = machineTicks(); busy = (b[0] - a[0]) / (b[1] - a[1]);
  }
  return busy;
}

/** One timed run against one target, with the CPU of every process involved and the gateway's memory. */
async function measure(target, body, seconds, o, subgraphPids) {
  if (o.warmup > 0) await load(target.url, body, o.warmup, o);
  const busyBefore = await waitIdle(o.waitIdle);
  const gw = target.pid ? [target.pid] : [], pg0s = new Map(pgPids(o.db).map((p) => [p, cpu([p])]));
  const calls0 = target.child ? (await ask(target.child, 'calls')).calls : 0;
  const gw0 = cpu(gw), sub0 = cpu(subgraphPids), me0 = process.cpuUsage(), m0 = machineTicks();
  let peak = 0;
  const timer = target.pid && setInterval(() => { peak = Math.max(peak, rssMB(target.pid)); }, 250);
  const r = await load(target.url, body, seconds, o);
  clearInterval(timer);
  const me = process.cpuUsage(me0), m1 = machineTicks(), sent = Math.max(1, r.requests + r.errors);
  const res = { ...r, busyBefore, gwCpu: (cpu(gw) - gw0) / r.wall, subCpu: (cpu(subgraphPids) - sub0) / r.wall,
    pgCpu: pgPids(o.db).reduce((sum, p) => sum + cpu([p]) - (pg0s.get(p) ?? 0), 0) / r.wall, // backends that ended are lost
    clientCpu: (me.user + me.system) / 1e6 / r.wall };
  res.otherCpu = ((m1[0] - m0[0]) / (m1[1] - m0[1])) * os.availableParallelism() - res.gwCpu - res.subCpu - res.pgCpu - res.clientCpu;
  if (target.pid) {
    res.gwMsPerReq = (res.gwCpu * r.wall * 1000) / sent;
    res.rss = rssMB(target.pid);
    res.rssPeak = Math.max(peak, res.rss);
    res.callsPerReq = ((await ask(target.child, 'calls')).calls - calls0) / sent;
  } else res.gwCpu = undefined;
  return res;
}

const sameData = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const fmt = (v, d = 0) => (v === undefined || Number.isNaN(v) ? '–' : v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }));
const pc = (v) => (v === undefined ? '–' : `${Math.round(v * 100)}`);
const median = (xs) => { const v = xs.filter((x) => x !== undefined).sort((a, b) => a - b); return v.length ? v[Math.floor((v.length - 1) / 2)] : undefined; };
const version = (pkg) => { try { return JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version; } catch { return '?'; } };

/** Checks that every engine returns the same data and the cases subgraph the same caseStats; returns the targets to load. */
async function verify(q, children, o) {
  const datas = await Promise.all(children.map((c) => gql(c.url, q.query)));
  datas.forEach((d, i) => { if (!sameData(d, datas[0])) throw new Error(`${q.label}: ${children[i].engine} differs from ${children[0].engine}`); });
  const units = datas[0].units;
  if (!units.length) throw new Error(`${q.label}: no units; is the database seeded?`);
  console.log(`${q.label}: ${units.length} units, identical data from ${children.map((c) => c.engine).join(', ')}`);
  const targets = children.map((c) => ({ ...c, name: c.engine, body: Buffer.from(JSON.stringify({ query: q.query })) }));
  if (o.baseline) {
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on OrgUnit { ${q.casesSelection} } } }`;
    const variables = { r: units.map((u) => ({ __typename: 'OrgUnit', id: u.id })) };
    const entities = (await gql(o.subgraphs.cases, query, variables))._entities;
    if (!sameData(entities.map((e) => e.caseStats), units.map((u) => u.caseStats))) throw new Error(`${q.label}: cases subgraph differs from the gateways`);
    targets.push({ name: 'cases subgraph alone (_entities)', url: o.subgraphs.cases, body: Buffer.from(JSON.stringify({ query, variables })) });
  }
  return { units: units.length, targets };
}

function report(o, rows, background) {
  const lines = [`# Gateway engines on the hub's real subgraphs`, '', `- Date: ${new Date().toISOString()}`,
    `- Machine: ${os.availableParallelism()} CPUs (${os.cpus()[0]?.model ?? '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}; busy ${pc(background)} % in the second before the run`,
    `- Engines: @apollo/gateway ${version('@apollo/gateway')} on @apollo/server ${version('@apollo/server')}; @graphql-hive/gateway-runtime ${version('@graphql-hive/gateway-runtime')} with @graphql-mesh/transport-http ${version('@graphql-mesh/transport-http')}, hive-router with @graphql-hive/router-runtime ${version('@graphql-hive/router-runtime')}; each in its own process`,
    `- Load: ${o.connections} keep-alive connections, ${o.warmup} s untimed warm-up before each run, (a) ${o.durationA} s, (b) ${o.durationB} s, ${o.rounds} round(s); all on loopback, same machine`,
    `- Subgraphs: ${Object.entries(o.subgraphs).map(([n, u]) => `${n} ${u}`).join(', ')}`, '',
    `## Summary${o.rounds > 1 ? ` (median of ${o.rounds} rounds)` : ''} and ratios to Apollo Gateway (Hive ÷ Apollo)`, '',
    '| query | target | req/s | p50 ms | p99 ms | gateway CPU ms/req | gateway peak RSS MB | ÷ req/s | ÷ p50 | ÷ p99 | ÷ CPU/req | ÷ RSS |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|'];
  for (const q of QUERIES) {
    const names = [...new Set(rows.filter((r) => r.query === q).map((r) => r.name))];
    const sum = names.map((name) => { const rs = rows.filter((r) => r.query === q && r.name === name), pick = (k) => median(rs.map((r) => r[k]));
      return { name, rps: pick('rps'), p50: pick('p50'), p99: pick('p99'), gwMsPerReq: pick('gwMsPerReq'), rssPeak: pick('rssPeak') }; });
    const apollo = sum.find((x) => x.name === 'apollo');
    for (const x of sum) {
      const ratio = (k) => (apollo && x.rssPeak !== undefined ? fmt(x[k] / apollo[k], 2) : '–');
      lines.push(`| ${q.label} | ${x.name} | ${fmt(x.rps, 1)} | ${fmt(x.p50)} | ${fmt(x.p99)} | ${fmt(x.gwMsPerReq, 2)} | ${fmt(x.rssPeak)} | ${ratio('rps')} | ${ratio('p50')} | ${ratio('p99')} | ${ratio('gwMsPerReq')} | ${ratio('rssPeak')} |`);
    }
  }
  lines.push('', '## Every run', '',
    '| query | round | target | req/s | p50 ms | p99 ms | ok / errors | gateway CPU % | gateway CPU ms/req | gateway RSS end / peak MB | subgraph calls/req | subgraphs CPU % | PostgreSQL CPU % | load generator CPU % | other CPU % | busy before % |',
    '|---|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
    ...rows.map((r) => `| ${r.query.label} (${fmt(r.units)} units) | ${r.round} | ${r.name} | ${fmt(r.rps, 1)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.requests)} / ${r.errors} | ${pc(r.gwCpu)} | ${fmt(r.gwMsPerReq, 2)} | ${r.rss ? `${fmt(r.rss)} / ${fmt(r.rssPeak)}` : '–'} | ${fmt(r.callsPerReq, 2)} | ${pc(r.subCpu)} | ${pc(r.pgCpu)} | ${pc(r.clientCpu)} | ${pc(r.otherCpu)} | ${pc(r.busyBefore)} |`),
    '', 'CPU % is of one core (200 % = all of a 2-CPU machine), averaged over the timed run. "subgraphs" sums the four subgraph processes,',
    `"PostgreSQL" the backends of database ${o.db}, "other" the rest of the machine (other people's work); "busy before" is the whole machine in the second before the run.`,
    'Errors (first of each run): ' + (rows.filter((r) => r.errors).map((r) => `${r.query.key}/${r.round}/${r.name}: ${r.firstError}`).join('; ') || 'none'));
  return lines.join('\n') + '\n';
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (o.help) return console.log(HELP);
  if (o.serve) return serve(o);
  const children = [];
  const killAll = () => { for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGKILL'); };
  process.on('exit', killAll).on('SIGINT', () => process.exit(130)).on('SIGTERM', () => process.exit(143));
  for (const [name, url] of Object.entries(o.subgraphs)) await gql(url, '{ __typename }').catch((e) => { throw new Error(`subgraph ${name} does not answer: ${e.message}`); });
  const subgraphPids = Object.values(o.subgraphs).map((u) => pidOfPort(Number(new URL(u).port))).filter(Boolean);
  const m0 = machineTicks(); await sleep(1000); const m1 = machineTicks();
  let port = o.port;
  for (const engine of o.engines) { const c = await startChild(engine, port, o); children.push(c); port = c.port + 1; }
  console.log(`gateways: ${children.map((c) => `${c.engine} pid ${c.pid} ${c.url}`).join(', ')}; subgraph pids ${subgraphPids.join(',') || '?'}`);
  const rows = [];
  for (const q of QUERIES) {
    const { units, targets } = await verify(q, children, o);
    for (let round = 1; round <= o.rounds; round++) {
      for (const t of round % 2 ? targets : [...targets].reverse()) {
        process.stdout.write(`${q.label} round ${round} ${t.name}: ${o[q.durationKey]} s … `);
        const r = await measure(t, t.body, o[q.durationKey], o, subgraphPids);
        console.log(`${fmt(r.rps, 1)} req/s, p50 ${fmt(r.p50)} ms, p99 ${fmt(r.p99)} ms, ${r.errors} errors, other CPU ${pc(r.otherCpu)} %`);
        rows.push({ query: q, round, name: t.name, units, ...r });
      }
    }
  }
  for (const c of children) { c.child.send('stop'); await Promise.race([new Promise((r) => c.child.once('exit', r)), sleep(3000)]); }
  killAll();
  const md = report(o, rows, (m1[0] - m0[0]) / (m1[1] - m0[1]));
  console.log('\n' + md);
  if (o.out !== '-') { fs.mkdirSync(path.dirname(path.resolve(o.out)), { recursive: true }); fs.writeFileSync(o.out, md); console.log(`written to ${o.out}`); }
}

main().catch((err) => { console.error(err instanceof Error ? err.message : err); process.exit(1); });
