#!/usr/bin/env node
import 'reflect-metadata';
import { EmbeddedStartError } from '@thads/kit';
import { commandHelp, parseCommand, UsageError, type CommandSpec } from './cli-args';
import { COMMANDS } from './commands';

function mainHelp(): string {
  const list = COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n');
  return `hub: the THADS reporting hub's command line.\n\nUsage: hub <command> [options]   (from the repository: npm run hub -- <command>)\n\nCommands:\n${list}\n\nRun "hub <command> --help" for a command's options.\n`;
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

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== -1) process.exit(code);
  },
  (err: unknown) => {
    if (err instanceof UsageError) process.stderr.write(`${err.message}\n`);
    else if (err instanceof EmbeddedStartError) process.stderr.write(`hub: ${err.message}\n`);
    else process.stderr.write(`hub: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
