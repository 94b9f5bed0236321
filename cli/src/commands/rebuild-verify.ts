import { positiveInt, type CommandSpec } from '../cli-args';
import { openDatabase } from '../database';
import { formatVerify, rebuildAll, serviceList, verifyAll } from './maintained';

const say = (line: string) => process.stderr.write(`${line}\n`);

export const rebuild: CommandSpec = {
  name: 'rebuild',
  summary:
    'Rebuild everything maintained from the recorded facts: rollup edges, month rows, rollups and their openings (the hub may run meanwhile: writers wait, readers see the old figures until each table is done).',
  usage: 'hub rebuild [--only cases,finances,complaints]',
  options: { only: { type: 'string', description: 'Only these services’ tables (the rollup edges are then left as they are).' } },
  async run(v) {
    const only = serviceList(v.only);
    const db = await openDatabase(process.env, say);
    try {
      const r = await rebuildAll(db.url, only, say);
      say(`rebuilt ${r.tables} tables and their rollups in ${r.seconds.toFixed(1)}s`);
    } finally {
      await db.stop();
    }
    return 0;
  },
};

export const verify: CommandSpec = {
  name: 'verify',
  summary:
    'Compare every maintained table (month rows, rollups of every unit and epoch, stock openings) with a recomputation from the raw facts; list each difference. Exit code 1 when any differs.',
  usage: 'hub verify [--only cases,finances,complaints] [--limit 20]',
  options: {
    only: { type: 'string', description: 'Only these services’ tables.' },
    limit: { type: 'string', description: 'Differences listed per table (all are counted).', default: '20' },
  },
  async run(v) {
    const only = serviceList(v.only);
    const db = await openDatabase(process.env, say);
    try {
      const started = Date.now();
      const { text, differing } = formatVerify(await verifyAll(db.url, only, positiveInt(v.limit, 'limit')));
      process.stdout.write(text);
      say(
        differing
          ? `${differing.toLocaleString('en')} rows differ: run "hub rebuild" to sum them again from the facts, and report how they came to differ.`
          : `every maintained figure equals its recomputation from the raw facts (${((Date.now() - started) / 1000).toFixed(1)}s)`,
      );
      return differing ? 1 : 0;
    } finally {
      await db.stop();
    }
  },
};
