#!/usr/bin/env node
import 'reflect-metadata';
import { EmbeddedStartError } from '@thads/kit';
import { commandHelp, parseCommand, UsageError, type CommandSpec } from './cli-args';
import { COMMANDS } from './commands';

function mainHelp(): string {
  const list = COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n');
  return `hub: the THADS reporting hub's command line.\n\nUsage: hub <command> [options]   (from the repository: npm run hub -- <command>)\n\nCommands:\n${list}\n\nRun "hub <command> --help" for a command's options; add --verbose to see the stack of an unexpected error.\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(mainHelp());
    return 0;
  }
  const spec: CommandSpec | undefined = COMMANDS.find((c) => c.name === name);
  if (!spec) throw new UsageError(`Unknown command "${name}".\n\n${mainHelp()}`);
  const sub = rest[0] !== undefined && spec.subcommands?.includes(rest[0]) ? rest[0] : undefined;
  const values = parseCommand(spec, sub ? rest.slice(1) : rest);
  if (sub) values.action = sub;
  if (values.help) {
    process.stdout.write(commandHelp(spec));
    return 0;
  }
  return spec.run(values);
}

/** An error that says what the user must change (a refused import line, a unit not found): its message is all there is to it. */
function isUserError(err: unknown): err is Error {
  return err instanceof Error && typeof (err as { extensions?: { code?: unknown } }).extensions?.code === 'string';
}

// `--verbose` anywhere (or HUB_VERBOSE=1): an unexpected error shows its stack; else one line.
const verbose = process.argv.includes('--verbose') || process.env.HUB_VERBOSE === '1';

main(process.argv.slice(2).filter((a) => a !== '--verbose')).then(
  (code) => {
    if (code !== -1) process.exit(code);
  },
  (err: unknown) => {
    if (err instanceof UsageError) process.stderr.write(`${err.message}\n`);
    else if (err instanceof EmbeddedStartError) process.stderr.write(`hub: ${err.message}\n`);
    else if (verbose) process.stderr.write(`hub: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    else if (isUserError(err)) process.stderr.write(`hub: ${err.message}\n`);
    else process.stderr.write(`hub: ${err instanceof Error ? err.message : String(err)} (run again with --verbose for the details)\n`);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
