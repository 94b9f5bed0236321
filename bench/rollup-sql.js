#!/usr/bin/env node
'use strict';
// Rollup statements with stock openings vs summing the whole history, side by side on one
// database: the same units, periods and hierarchy date, alternating, results compared.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');
const HELP = `Usage: DATABASE_URL=<hub database> node bench/rollup-sql.js [options]

What stock openings (services/kit/src/rollup/openings.ts) save a rollup: each statement the
subgraphs run for a set of units, a period and a hierarchy date, timed with the openings
(the default) and summing every month back to the first (the statement before them),
alternating in rounds on the same database and connection; both must return the same rows.
Read-only: the hub may keep running. npm run build first (it reads the kit's dist).

  --rounds R     timed runs of each statement and form (default 15, after 2 warm-up runs)
  --as-of DATE   hierarchy date (default today in Vietnam)
  --out FILE     append the report to FILE (default bench/results/rollup-sql.md; "-" = none)
  --help         this text`;

function parseArgs(argv) {
  const o = { rounds: 15, asOf: undefined, out: path.join(ROOT, 'bench/results/rollup-sql.md') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i], next = () => { if (i + 1 >= argv.length) throw new Error(`${a} needs a value`); return argv[++i]; };
    if (a === '--help' || a === '-h') o.help = true;
    else if (a === '--rounds') o.rounds = Number(next());
    else if (a === '--as-of') o.asOf = next();
    else if (a === '--out') o.out = next();
    else throw new Error(`unknown option ${a} (see --help)`);
  }
  if (!(o.rounds >= 1 && o.rounds <= 1000)) throw new Error('--rounds must be between 1 and 1000');
  if (o.asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(o.asOf)) throw new Error('--as-of must be YYYY-MM-DD');
  return o;
}

const now = () => Number(process.hrtime.bigint()) / 1e6;
const fmt = (v, d = 1) => (Number.isFinite(v) ? v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }) : '–');
const quantile = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]; };

/** Statistical year N runs from 1 October of N−1 to 30 September of N. */
function periods(today) {
  const y = Number(today.slice(0, 4)), m = Number(today.slice(5, 7));
  const year = m >= 10 ? y + 1 : y;
  const thisMonth = `${today.slice(0, 7)}-01`;
  return [
    { label: `statistical year ${year} (${year - 1}-10 … ${year}-09)`, first: `${year - 1}-10-01`, last: `${year}-09-01` },
    { label: 'the live benchmark\'s period (2025-07 … 2026-12)', first: '2025-07-01', last: '2026-12-01' },
    { label: `this month (${thisMonth.slice(0, 7)})`, first: thisMonth, last: thisMonth },
    { label: `statistical year ${year - 3} (three years back)`, first: `${year - 4}-10-01`, last: `${year - 3}-09-01` },
  ];
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (o.help) return console.log(HELP);
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is required: the hub\'s database (see --help)');
  let kit;
  try { kit = require(path.join(ROOT, 'services/kit/dist/index.js')); } catch { throw new Error('services/kit/dist is missing: run npm run build first'); }
  const specs = [
    ['cases', require(path.join(ROOT, 'services/cases/dist/stats/case-rollup.js')).CASE_ROLLUP, [0]],
    ['cases, every category bucket', require(path.join(ROOT, 'services/cases/dist/stats/case-rollup.js')).CASE_ROLLUP, require(path.join(ROOT, 'services/cases/dist/stats/case-rollup.js')).CASE_BUCKETS],
    ['money', require(path.join(ROOT, 'services/finances/dist/stats/money-rollup.js')).MONEY_ROLLUP, [0]],
    ['complaints', require(path.join(ROOT, 'services/complaints/dist/stats/complaint-rollup.js')).COMPLAINT_ROLLUP, [0]],
  ];
  const asOf = o.asOf ?? kit.todayInVietnam();
  const { Client } = require('pg');
  const db = new Client({ connectionString: url, application_name: 'bench-rollup-sql' });
  await db.connect();
  try {
    const units = (await db.query(`SELECT id, type FROM org_units.org_unit WHERE valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1) AND type IN ('MINISTRY', 'PROVINCE')`, [asOf])).rows;
    const national = units.filter((u) => u.type === 'MINISTRY').map((u) => u.id);
    const provinces = units.filter((u) => u.type === 'PROVINCE').map((u) => u.id).sort((a, b) => a - b);
    if (!national.length || !provinces.length) throw new Error('no ministry or provinces valid at ' + asOf + ': is this a hub database?');
    const scopes = [['the nation', national], [`the ${provinces.length} provinces in one statement`, provinces], ['one province', provinces.slice(0, 1)]];
    const history = {};
    for (const [, spec] of specs) {
      if (history[spec.table]) continue;
      const [h] = (await db.query(`SELECT count(*)::int AS rows, min(month)::text AS first, max(month)::text AS last,
        (SELECT count(*)::int FROM ${spec.table}_opening_built) AS built, (SELECT max(month)::text FROM ${spec.table}_opening_built) AS latest FROM ${spec.table}`)).rows;
      history[spec.table] = h;
    }
    const cases = [];
    for (const [what, spec, buckets] of specs) for (const [scope, ids] of scopes) for (const p of periods(asOf)) cases.push({ what, spec, buckets, scope, ids, p });
    const results = [];
    let done = 0;
    const t0 = now();
    for (const c of cases) {
      const params = [c.ids, c.p.first, c.p.last, asOf, c.buckets];
      // The quarter the services would start from (kit latestOpening, read fresh here); none: both forms are the same.
      const opening = (await db.query(`SELECT to_char(max(month), 'YYYY-MM-DD') AS m FROM ${c.spec.table}_opening_built WHERE month <= $1`, [c.p.first])).rows[0].m;
      const forms = { openings: [kit.buildRollupSql(c.spec, { openings: !!opening }), opening ? [...params, opening] : params], full: [kit.buildRollupSql(c.spec), params] };
      const times = { openings: [], full: [] };
      const rowsOf = {};
      for (let r = 0; r < o.rounds + 2; r++) {
        for (const form of r % 2 ? ['full', 'openings'] : ['openings', 'full']) {
          const t = now();
          const res = await db.query(forms[form][0], forms[form][1]);
          const ms = now() - t;
          if (r >= 2) times[form].push(ms);
          rowsOf[form] ??= JSON.stringify(res.rows.map((x) => JSON.stringify(x)).sort());
        }
      }
      results.push({ ...c, opening, same: rowsOf.openings === rowsOf.full, openings: quantile(times.openings, 0.5), full: quantile(times.full, 0.5), openingsP90: quantile(times.openings, 0.9), fullP90: quantile(times.full, 0.9) });
      done++;
      const el = (now() - t0) / 1000;
      process.stderr.write(`\r${done}/${cases.length} statements · ${fmt(done / el, 1)}/s · ETA ${fmt((cases.length - done) / (done / el), 0)} s   `);
    }
    process.stderr.write('\n');
    const lines = [
      `## ${new Date().toISOString()}: rollup statements, stock openings vs the whole history`, '',
      `- Machine: nproc ${os.availableParallelism()} (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}; git ${gitState()}`,
      `- Command: \`${['node bench/rollup-sql.js', ...process.argv.slice(2)].join(' ')}\`; hierarchy date ${asOf}; median (p90) of ${o.rounds} runs a form, alternating, after 2 warm-up runs; wall time seen by the client on one connection`,
      `- History: ${Object.entries(history).map(([t, h]) => `${t} ${h.rows.toLocaleString('en-US')} rows ${h.first?.slice(0, 7)} … ${h.last?.slice(0, 7)}, openings built for ${h.built} quarters (latest ${h.latest?.slice(0, 7) ?? 'none'})`).join('; ')}`,
      '', '| table | units | period | with openings ms | whole history ms | ratio (whole ÷ openings) | same rows |', '|---|---|---|--:|--:|--:|---|',
      ...results.map((r) => `| ${r.what} | ${r.scope} | ${r.p.label}${r.opening ? '' : ' (no quarter built that early)'} | ${fmt(r.openings, 2)} (${fmt(r.openingsP90, 2)}) | ${fmt(r.full, 2)} (${fmt(r.fullP90, 2)}) | ${fmt(r.full / r.openings, 2)}× | ${r.same ? 'yes' : '**NO**'} |`),
      '', `Sum of the medians: with openings ${fmt(results.reduce((s, r) => s + r.openings, 0), 1)} ms, whole history ${fmt(results.reduce((s, r) => s + r.full, 0), 1)} ms (${fmt(results.reduce((s, r) => s + r.full, 0) / results.reduce((s, r) => s + r.openings, 0), 2)}×).`, '',
    ];
    const md = lines.join('\n');
    console.log(md);
    if (results.some((r) => !r.same)) { console.error('DIFFERENT ROWS: the two forms disagree (see "same rows")'); process.exitCode = 1; }
    if (o.out !== '-') {
      const out = path.resolve(o.out);
      if (!fs.existsSync(out)) fs.writeFileSync(out, '# Rollup statements: stock openings vs the whole history\n\nWritten by `bench/rollup-sql.js` (see its `--help`); each run appends a section.\n\n');
      fs.appendFileSync(out, md + '\n');
      console.log(`appended to ${path.relative(process.cwd(), out)}`);
    }
  } finally {
    await db.end();
  }
}

function gitState() {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'services'], { cwd: ROOT }).toString().trim();
    return dirty ? `${head} with uncommitted changes` : head;
  } catch { return 'unknown'; }
}

main().catch((err) => { console.error(err.message); process.exit(1); });
