import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { parse, specifiedDirectives, type GraphQLSchema } from 'graphql';
import { buildSchema, createResolversMap, type BuildSchemaOptions } from 'type-graphql';

/** The one place the federation version is pinned. */
const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@provides"])';

type ReferenceResolvers = Record<string, { __resolveReference: (...args: never[]) => unknown }>;

/** Resolvers the subgraph sets itself, past type-graphql's per-call wrappers. */
export interface LeanResolvers {
  /** Field resolvers by type and field, in place of the decorated methods (same schema). */
  resolvers?: Record<string, Record<string, (...args: never[]) => unknown>>;
  /** Types whose fields are plain properties: graphql-js reads them without any resolver. */
  plainTypes?: readonly string[];
}

/**
 * Builds a federation v2 subgraph schema from type-graphql classes, as type-graphql's
 * Apollo Federation 2 example does: print with directives, link the spec, then hand it to
 * `buildSubgraphSchema` with the resolver map and reference resolvers merged per type
 * (a shallow spread would drop every field resolver of an entity). `lean` replaces some of
 * type-graphql's resolvers on the hot paths.
 */
export async function buildFederatedSchema(
  options: Omit<BuildSchemaOptions, 'skipCheck'>,
  referenceResolvers: ReferenceResolvers = {},
  lean: LeanResolvers = {},
): Promise<GraphQLSchema> {
  const schema = await buildSchema({ ...options, directives: [...specifiedDirectives], skipCheck: true });
  const resolvers = createResolversMap(schema) as Record<string, Record<string, unknown>>;
  // type-graphql gives every field a wrapper (a property read, or a decorated method with its
  // arguments converted to class instances): on lists of thousands of entities, those calls
  // and their allocations were a large part of a subgraph's time.
  for (const typeName of lean.plainTypes ?? []) delete resolvers[typeName];
  for (const [typeName, fields] of Object.entries(lean.resolvers ?? {})) resolvers[typeName] = { ...(resolvers[typeName] ?? {}), ...fields };
  for (const [typeName, reference] of Object.entries(referenceResolvers)) {
    resolvers[typeName] = { ...(resolvers[typeName] ?? {}), ...reference };
  }
  const typeDefs = parse(`${FEDERATION_LINK}\n${printSchemaWithDirectives(schema)}`);
  return buildSubgraphSchema({ typeDefs, resolvers: resolvers as GraphQLResolverMap<unknown> });
}
