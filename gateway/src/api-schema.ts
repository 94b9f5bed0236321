import { Supergraph } from '@apollo/federation-internals';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { withSubscriptions } from './live/subscription-schema';

/**
 * The schema integrators see, as SDL: the supergraph's API (queries and mutations, without
 * the federation's own directives and types) with the live layer's Subscription type, as
 * introspection answers it. `hub compose` commits it as schema/api.graphql, and `hub schema
 * check` compares it with the last released one.
 */
export function apiSchemaSdl(supergraphSdl: string): string {
  const api = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
  return `${printSchema(lexicographicSortSchema(withSubscriptions(api))).trim()}\n`;
}
