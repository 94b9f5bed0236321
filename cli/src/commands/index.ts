import { relative } from 'node:path';
import { maskDatabaseUrl, todayInVietnam } from '@thads/kit';
import { parseDay, portNumber, positiveInt, UsageError, type CommandSpec } from '../cli-args';
import { openDatabase } from '../database';
import { SECRETS_FILE } from '../secrets';
import { compose, staleFiles, writeComposition } from './compose';
import { checkSchema, describeChange, releaseSchema, INTENDED_CHANGES, RELEASED_SCHEMA } from './schema-check';
import { benchImport } from './bench-import';
import { importFile } from './import';
import { devToken, keysCommand, parseFamilies, parseRole, parseUnits } from './keys';
import { migrateAll } from './migrate';
import { seedAll } from './seed';
import { startHub } from './start';
import { rebuild, verify } from './rebuild-verify';

const say = (line: string) => process.stderr.write(`${line}\n`);

/** Keeps the process alive until SIGINT/SIGTERM, then runs `stop` and exits. */
function untilSignal(stop: () => Promise<void>): number {
  let stopping = false;
  const onSignal = (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping…`);
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        say(`unclean stop: ${String(err)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  return -1;
}

const start: CommandSpec = {
  name: 'start',
  summary:
    'Start the whole hub: database (embedded unless DATABASE_URL is set), migrations, demo data when empty, four subgraphs and the gateway; a process that crashes is started again.',
  usage: 'hub start [--cases N] [--port 4000] [--host 127.0.0.1] [--subgraph-host 127.0.0.1] [--live postgres|nats] [--secure] [--json]',
  options: {
    cases: { type: 'string', description: 'Demo cases to seed when the database is empty.', default: '20000' },
    port: { type: 'string', description: 'Gateway port; the subgraphs take the next four.', default: '4000' },
    host: { type: 'string', description: 'Address the gateway listens on.', default: '127.0.0.1' },
    'subgraph-host': {
      type: 'string',
      description:
        'Address the subgraphs listen on: loopback, so that only the gateway reaches them; a private interface only when the gateway runs elsewhere.',
      default: '127.0.0.1',
    },
    json: { type: 'boolean', description: 'Print the processes’ JSON log lines as they are.', default: false },
    secure: {
      type: 'boolean',
      description:
        'Refuse callers without a token or key (by default a local hub lets them read as the ministry); tokens must carry the issuer and audience AUTH_ISSUER / AUTH_AUDIENCE (default thads-hub / thads-hub-api, as "hub keys --action token" makes them) and live at most AUTH_MAX_TTL seconds (86400); introspection is off unless INTROSPECTION=true.',
      default: false,
    },
    live: {
      type: 'string',
      description:
        'How committed changes reach the gateway: postgres (LISTEN/NOTIFY, nothing to install) or nats (JetStream at NATS_URL, default nats://127.0.0.1:4222).',
      default: 'postgres',
    },
  },
  async run(v) {
    if (v.live !== 'postgres' && v.live !== 'nats') throw new UsageError(`--live is postgres or nats, not "${String(v.live)}".`);
    // Set once the hub is up: a process given up on stops everything, and the hub exits 1.
    const up: { stop?: () => Promise<void> } = {};
    const giveUp = (name: string, lastLines: readonly string[]) => {
      say(`\n${name} keeps crashing; stopping the hub. Its last lines:\n${lastLines.map((l) => `  ${l}`).join('\n') || '  (none)'}`);
      void (up.stop ?? (async () => {}))().finally(() => process.exit(1));
    };
    const hub = await startHub(
      {
        live: v.live,
        cases: positiveInt(v.cases, 'cases'),
        json: Boolean(v.json),
        gatewayPort: portNumber(v.port, 'port', 4),
        host: String(v.host),
        subgraphHost: String(v['subgraph-host']),
        secure: Boolean(v.secure),
      },
      say,
      giveUp,
    );
    up.stop = () => hub.stop();
    say(
      `\nThe hub is up: GraphQL at ${hub.url}\nDashboard: ${hub.url.replace(/\/graphql$/, '/dashboard')}\nDatabase: ${maskDatabaseUrl(hub.databaseUrl)}\nStop with Ctrl+C.\n`,
    );
    process.stdout.write(`${hub.url}\n`);
    return untilSignal(() => hub.stop());
  },
};

const seed: CommandSpec = {
  name: 'seed',
  summary: 'Replace all data with the deterministic demo set (units, lineage, cases, money, complaints) and rebuild the aggregates.',
  usage: 'hub seed [--cases N] [--seed TEXT] [--until YYYY-MM-DD]',
  options: {
    cases: {
      type: 'string',
      description: 'Cases received in the three years up to --until (a backlog of 20% from the year before comes on top). 1000000 for benchmarks.',
      default: '20000',
    },
    seed: { type: 'string', description: 'Seed of the generator: the same seed and --until give the same data.', default: 'demo' },
    until: { type: 'string', description: 'Last day of the demo data, YYYY-MM-DD (default: today in Vietnam, so that the current year has figures).' },
  },
  async run(v) {
    const today = todayInVietnam();
    const until = v.until === undefined ? today : parseDay(String(v.until));
    if (until > today)
      throw new UsageError(`--until ${until} is after today (${today}): the hub refuses events dated in the future, so the demo has none either.`);
    const db = await openDatabase(process.env, say);
    try {
      const s = await seedAll(db.url, { cases: positiveInt(v.cases, 'cases'), seed: String(v.seed), until }, say);
      say(
        `seeded ${s.units} units, ${s.cases} cases (${s.caseEvents} case events, ${s.moneyEvents} money events), ${s.petitions} petitions in ${s.seconds.toFixed(1)}s`,
      );
    } finally {
      await db.stop();
    }
    return 0;
  },
};

const migrate: CommandSpec = {
  name: 'migrate',
  summary: "Apply every service's pending migrations to the database.",
  usage: 'hub migrate',
  options: {},
  async run() {
    const db = await openDatabase(process.env, say);
    try {
      await migrateAll(db.url, say);
    } finally {
      await db.stop();
    }
    return 0;
  },
};

const composeCommand: CommandSpec = {
  name: 'compose',
  summary: "Print every subgraph's SDL and compose the supergraph into schema/; with --check, fail when the committed files differ.",
  usage: 'hub compose [--check]',
  options: { check: { type: 'boolean', description: 'Compare with the committed files instead of writing them.', default: false } },
  async run(v) {
    const composition = await compose();
    for (const hint of composition.hints) say(`hint: ${hint}`);
    if (v.check) {
      const stale = staleFiles(composition);
      if (stale.length) {
        say(`schema/ is out of date: ${stale.join(', ')}. Run "npm run compose" and commit the result.`);
        return 1;
      }
      say('schema/ matches a fresh composition.');
      return 0;
    }
    writeComposition(composition);
    say(`wrote ${[...composition.files.keys()].map((f) => `schema/${f}`).join(', ')}`);
    return 0;
  },
};

const schemaCommand: CommandSpec = {
  name: 'schema',
  summary: 'Check the API schema against the last released one (fails on a breaking change not listed as intended), or release it.',
  usage: 'hub schema check | hub schema release   (or --action check|release)',
  subcommands: ['check', 'release'],
  options: {
    action: { type: 'string', description: 'check (default) or release.', default: 'check' },
    released: { type: 'string', description: 'The released schema to compare with.', default: relative(process.cwd(), RELEASED_SCHEMA) },
    intended: {
      type: 'string',
      description: 'The breaking changes made on purpose (JSON: { "intended": [{ path, type, reason }] }).',
      default: relative(process.cwd(), INTENDED_CHANGES),
    },
  },
  async run(v) {
    const current = (await compose()).files.get('api.graphql')!;
    const released = String(v.released);
    const intended = String(v.intended);
    if (v.action === 'release') {
      releaseSchema(current, released, intended);
      say(`released: ${released} is now the current API schema; ${intended} is empty.`);
      return 0;
    }
    if (v.action !== 'check') throw new UsageError(`Unknown action "${String(v.action)}": use check or release.`);
    const result = await checkSchema(current, released, intended);
    for (const c of result.intended) say(`intended breaking change: ${describeChange(c)}`);
    for (const c of result.dangerous) say(`may affect clients: ${describeChange(c)}`);
    for (const c of result.breaking) say(`BREAKING: ${describeChange(c)}`);
    if (result.breaking.length) {
      say(
        `${result.breaking.length} breaking change(s) against ${released}: existing clients' queries would fail. Deprecate instead of removing, or, if it is meant, list each one (path, type, reason) in ${intended}.`,
      );
      return 1;
    }
    say(`no breaking change against ${released} (${result.safe.length} safe, ${result.dangerous.length} to note, ${result.intended.length} intended).`);
    return 0;
  },
};

const importCommand: CommandSpec = {
  name: 'import',
  summary: 'Import an NDJSON or CSV file of events (CASE_*, MONEY_*, PETITION_*, CITIZENS_RECEIVED) with the same checks as the mutations, all or nothing.',
  usage: 'hub import --file events.ndjson',
  options: { file: { type: 'string', description: 'The file (.ndjson, or .csv with a header line).' } },
  async run(v) {
    if (!v.file) throw new UsageError('Give the file to import: hub import --file events.ndjson');
    const db = await openDatabase(process.env, say);
    try {
      const s = await importFile(db.url, String(v.file), say);
      say(
        `imported ${s.lines.toLocaleString('en')} events (${s.cases.toLocaleString('en')} case, ${s.money.toLocaleString('en')} money, ${s.complaints.toLocaleString('en')} complaint) in ${s.seconds.toFixed(2)}s: ${s.perSecond.toLocaleString('en')} events/s`,
      );
    } finally {
      await db.stop();
    }
    return 0;
  },
};

const bench: CommandSpec = {
  name: 'bench',
  summary:
    'Measure the hub on this machine, side by side with a baseline in the same run. Benchmarks: import (events/s through the import path vs a bare COPY).',
  usage: 'hub bench --what import [--cases 20000]',
  options: {
    what: { type: 'string', description: 'Which benchmark: import.', default: 'import' },
    cases: { type: 'string', description: 'Demo cases to generate events from.', default: '20000' },
  },
  async run(v) {
    if (v.what !== 'import')
      throw new UsageError(`Unknown benchmark "${String(v.what)}"; available: import. The gateway engines are measured by bench/gateway-engines.js.`);
    const db = await openDatabase(process.env, say);
    try {
      const r = await benchImport(db.url, positiveInt(v.cases, 'cases'), say);
      const where = db.embedded ? 'embedded PostgreSQL' : 'DATABASE_URL';
      process.stdout.write(
        `import benchmark (${where}, ${r.events.toLocaleString('en')} events)\n` +
          `  hub import (checked, aggregates, outbox): ${r.importRate.toLocaleString('en')} events/s (${r.importSeconds.toFixed(2)} s)\n` +
          `  baseline bare COPY of the same rows:      ${r.copyRate.toLocaleString('en')} rows/s (${r.copySeconds.toFixed(2)} s)\n` +
          `  ratio import ÷ COPY: ${(r.importRate / r.copyRate).toFixed(2)}\n`,
      );
    } finally {
      await db.stop();
    }
    return 0;
  },
};

const keys: CommandSpec = {
  name: 'keys',
  summary:
    'Manage access: create, revoke or list API keys (stored hashed in PostgreSQL), print a bearer token signed with the hub’s secret, or revoke a token by its id (jti).',
  usage:
    'hub keys --action create --name NAME --role integrator --units 2001 --families cases,money | --action revoke --id N | --action list | --action token --role ministry [--ttl 3600] | --action revoke-token --jti ID',
  options: {
    action: { type: 'string', description: 'create, revoke, list, token or revoke-token.', default: 'list' },
    name: { type: 'string', description: 'A name for the key (who uses it).' },
    owner: {
      type: 'string',
      description: 'The organisation the key or token belongs to: all its keys and tokens share one rate limit (default: the key’s name).',
    },
    role: { type: 'string', description: 'ministry, province, integrator or reporter.' },
    units: { type: 'string', description: 'Unit ids the key or token covers, comma-separated (a province id for a province; 1 is the whole country).' },
    families: { type: 'string', description: 'For integrators: field families granted, from units, cases, money, complaints.' },
    id: { type: 'string', description: 'Id of the key to revoke.' },
    jti: { type: 'string', description: 'Id of the token to revoke (token prints it); the gateway refuses it within seconds and closes its live connections.' },
    ttl: { type: 'string', description: 'Token lifetime in seconds (the gateway refuses more than its AUTH_MAX_TTL, default 86400).', default: '3600' },
  },
  async run(v) {
    if (v.action === 'token') {
      const role = parseRole(v.role ?? 'ministry');
      const units = parseUnits(v.units);
      if (role !== 'ministry' && units.length === 0) throw new UsageError(`A ${role} token needs --units.`);
      const { token, jti } = devToken(
        role,
        units,
        parseFamilies(v.families, role),
        String(v.name ?? role),
        positiveInt(v.ttl, 'ttl'),
        v.owner ? String(v.owner) : undefined,
      );
      say(`token id (jti) ${jti}: revoke it with "hub keys --action revoke-token --jti ${jti}"`);
      process.stdout.write(`${token}\n`);
      return 0;
    }
    const db = await openDatabase(process.env, say);
    try {
      process.stdout.write(await keysCommand(db.url, String(v.action), v));
    } finally {
      await db.stop();
    }
    return 0;
  },
};

const dbCommand: CommandSpec = {
  name: 'db',
  summary: 'Run only the embedded PostgreSQL and print its URL, password masked (for tests and tools); stops on Ctrl+C.',
  usage: 'hub db [--port 54329] [--dir .data/postgres]',
  options: {
    port: { type: 'string', description: 'Port to listen on (never 5432).', default: '54329' },
    dir: { type: 'string', description: 'Data folder; kept between runs.' },
  },
  async run(v) {
    if (process.env.DATABASE_URL) throw new UsageError('DATABASE_URL is set: "hub db" runs the embedded PostgreSQL only. Unset it first.');
    const port = portNumber(v.port, 'port');
    if (port === 5432) throw new UsageError("--port 5432 is the system PostgreSQL's port; the embedded one takes another (default 54329).");
    const db = await openDatabase(
      { EMBEDDED_PG_PORT: String(port), EMBEDDED_PG_PASSWORD: process.env.EMBEDDED_PG_PASSWORD, ...(v.dir ? { EMBEDDED_PG_DIR: String(v.dir) } : {}) },
      say,
    );
    say(`the password is EMBEDDED_PG_PASSWORD when set, else "databasePassword" in ${relative(process.cwd(), SECRETS_FILE) || SECRETS_FILE}`);
    process.stdout.write(`${maskDatabaseUrl(db.url)}\n`);
    return untilSignal(db.stop);
  },
};

export const COMMANDS: CommandSpec[] = [start, seed, importCommand, migrate, rebuild, verify, composeCommand, schemaCommand, bench, keys, dbCommand];
