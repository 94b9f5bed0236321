import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import { buildSchema } from 'graphql';
import { SCHEMA_DIR } from './compose';

/** The last released API schema: what integrators' queries were written against. */
export const RELEASED_SCHEMA = join(SCHEMA_DIR, 'released', 'api.graphql');
/** Breaking changes made on purpose since that release, each with its path, type and reason. */
export const INTENDED_CHANGES = join(SCHEMA_DIR, 'released', 'intended-changes.json');

export interface IntendedChange {
  /** The change's path, as the check prints it: `Query.units`, `OrgUnit.children.first`. */
  path: string;
  /** The change's type, as the check prints it: `FIELD_REMOVED`. */
  type: string;
  /** Why, and what clients were told to do instead. */
  reason: string;
}

export interface SchemaCheck {
  breaking: Change[];
  /** Breaking changes listed as intended: reported, not failing. */
  intended: Change[];
  dangerous: Change[];
  safe: Change[];
}

function readIntended(file: string): IntendedChange[] {
  if (!existsSync(file)) return [];
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { intended?: IntendedChange[] };
  return parsed.intended ?? [];
}

/**
 * Compares the current API schema with the released one (GraphQL Inspector's rules: a
 * removed field, a new required argument or a narrowed type breaks existing queries; an
 * added enum value or argument may). A breaking change fails the check unless it is listed
 * in the intended changes with a reason.
 */
export async function checkSchema(currentSdl: string, releasedFile = RELEASED_SCHEMA, intendedFile = INTENDED_CHANGES): Promise<SchemaCheck> {
  const changes = await diff(buildSchema(readFileSync(releasedFile, 'utf8')), buildSchema(currentSdl));
  const intended = readIntended(intendedFile);
  const isIntended = (c: Change) => intended.some((i) => i.path === c.path && i.type === c.type);
  const level = (l: CriticalityLevel) => changes.filter((c) => c.criticality.level === l);
  const breaking = level(CriticalityLevel.Breaking);
  return {
    breaking: breaking.filter((c) => !isIntended(c)),
    intended: breaking.filter(isIntended),
    dangerous: level(CriticalityLevel.Dangerous),
    safe: level(CriticalityLevel.NonBreaking),
  };
}

/** Makes the current API schema the released one, and empties the list of intended changes. */
export function releaseSchema(currentSdl: string, releasedFile = RELEASED_SCHEMA, intendedFile = INTENDED_CHANGES): void {
  mkdirSync(dirname(releasedFile), { recursive: true });
  writeFileSync(releasedFile, currentSdl);
  writeFileSync(intendedFile, `${JSON.stringify({ intended: [] }, null, 2)}\n`);
}

/** One line a change: its level, path, type and message. */
export function describeChange(change: Change): string {
  return `${change.path ?? '(schema)'} ${change.type}: ${change.message}`;
}
