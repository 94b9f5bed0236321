import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { apiSchemaSdl } from '@thads/gateway';
import { PROJECT_ROOT, SERVICES, subgraphUrl } from '../services';

export const SCHEMA_DIR = join(PROJECT_ROOT, 'schema');

export interface Composition {
  files: Map<string, string>;
  hints: string[];
}

/** Prints every subgraph's SDL, composes them into the supergraph the gateway serves, and prints the API schema clients see. */
export async function compose(): Promise<Composition> {
  const files = new Map<string, string>();
  const subgraphs = [];
  for (const service of SERVICES) {
    const sdl = printSubgraphSchema(await service.schema());
    files.set(`${service.name}.graphql`, `${sdl.trim()}\n`);
    subgraphs.push({ name: service.name, url: subgraphUrl(service.port), typeDefs: parse(sdl) });
  }
  const result = composeServices(subgraphs);
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  files.set('supergraph.graphql', `${result.supergraphSdl.trim()}\n`);
  // What integrators see by introspection (Subscription included): the file their code generators and schema checks read.
  files.set('api.graphql', apiSchemaSdl(result.supergraphSdl));
  return { files, hints: result.hints.map((h) => h.toString()) };
}

/** Files whose committed text differs from a fresh composition. */
export function staleFiles(composition: Composition, dir = SCHEMA_DIR): string[] {
  return [...composition.files]
    .filter(([name, text]) => {
      try {
        return readFileSync(join(dir, name), 'utf8') !== text;
      } catch {
        return true;
      }
    })
    .map(([name]) => name);
}

export function writeComposition(composition: Composition, dir = SCHEMA_DIR): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of composition.files) writeFileSync(join(dir, name), text);
}
