import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../support/pg-server';

const run = promisify(execFile);

describe('the committed supergraph', () => {
  it('equals a fresh composition of the subgraphs (run "npm run compose" when this fails)', async () => {
    const { stderr } = await run(process.execPath, [join(ROOT, 'cli', 'dist', 'main.js'), 'compose', '--check'], { cwd: ROOT });
    expect(stderr).toMatch(/schema\/ matches a fresh composition/);
  }, 60000);

  it('describes every type and field for integrators', async () => {
    const { readFileSync } = await import('node:fs');
    const { parse } = await import('graphql');
    for (const name of ['org-units', 'cases', 'finances', 'complaints']) {
      const sdl = readFileSync(join(ROOT, 'schema', `${name}.graphql`), 'utf8');
      const doc = parse(sdl);
      const undocumented: string[] = [];
      for (const def of doc.definitions) {
        if (!('name' in def) || !def.name || def.name.value.startsWith('_')) continue;
        const root = ['Query', 'Mutation', 'Subscription'].includes(def.name.value);
        if ('description' in def && !def.description && !root) undocumented.push(def.name.value);
        if ('fields' in def && def.fields) {
          for (const f of def.fields) if (!f.description && !f.name.value.startsWith('_')) undocumented.push(`${def.name.value}.${f.name.value}`);
        }
      }
      expect({ name, undocumented }).toEqual({ name, undocumented: [] });
    }
  });
});
