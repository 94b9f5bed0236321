import { parseArgs } from 'node:util';

export interface CommandSpec {
  name: string;
  summary: string;
  usage: string;
  options: Record<string, { type: 'string' | 'boolean'; description: string; default?: string | boolean }>;
  /** Words that may follow the command in place of `--action <word>`: `hub schema check`. */
  subcommands?: readonly string[];
  run(values: Record<string, string | boolean | undefined>): Promise<number>;
}

export class UsageError extends Error {}

/** Parses a command's flags strictly: an unknown flag is a usage error that names the fix. */
export function parseCommand(spec: CommandSpec, argv: string[]): Record<string, string | boolean | undefined> {
  const options = Object.fromEntries(
    Object.entries(spec.options).map(([name, o]) => [name, { type: o.type, ...(o.default !== undefined ? { default: o.default } : {}) }]),
  ) as NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>;
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false }).values as Record<
      string,
      string | boolean | undefined
    >;
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\nRun "hub ${spec.name} --help" for the options.`);
  }
}

export function commandHelp(spec: CommandSpec): string {
  const lines = Object.entries(spec.options).map(([name, o]) => {
    const flag = o.type === 'string' ? `--${name} <value>` : `--${name}`;
    const def = o.default !== undefined && o.default !== false ? ` (default: ${String(o.default)})` : '';
    return `  ${flag.padEnd(22)} ${o.description}${def}`;
  });
  return `${spec.summary}\n\nUsage: ${spec.usage}\n\nOptions:\n${[...lines, `  ${'-h, --help'.padEnd(22)} Show this help.`].join('\n')}\n`;
}

/** A calendar date YYYY-MM-DD given on the command line. */
export function parseDay(value: string): string {
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(value) ||
    Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ||
    new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value
  ) {
    throw new UsageError(`A date is written YYYY-MM-DD, for example 2026-09-30; got "${value}".`);
  }
  return value;
}

export function positiveInt(value: string | boolean | undefined, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${flag} must be a whole number of 1 or more, got "${String(value)}".`);
  return n;
}

/** A TCP port with `after` more ports above it (a hub's subgraphs listen on the gateway's next four). */
export function portNumber(value: string | boolean | undefined, flag: string, after = 0): number {
  const n = Number(value);
  const last = 65535 - after;
  if (!/^\d+$/.test(String(value)) || n < 1 || n > last)
    throw new UsageError(`--${flag} must be a port from 1 to ${last}${after ? ` (the ${after} ports above it are used too)` : ''}, got "${String(value)}".`);
  return n;
}
