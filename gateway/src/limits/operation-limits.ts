import {
  GraphQLError,
  Kind,
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  isInterfaceType,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type GraphQLCompositeType,
} from 'graphql';
import { ErrorCode } from '@thads/kit';

export interface OperationLimits {
  /** Deepest nesting of fields. @default 12 */
  maxDepth: number;
  /** Aliased fields in one operation. @default 30 */
  maxAliases: number;
  /** Estimated cost: each field costs 1 times the sizes of the lists around it. @default 200000 */
  maxCost: number;
}

/** How many items a list field returns at most, as far as the hub's data goes. */
const LIST_SIZES: Record<string, number> = {
  units: 3400,
  descendants: 4200,
  children: 200,
  caseRanking: 3400,
  moneyRanking: 3400,
  complaintRanking: 3400,
  liveCaseRanking: 3400,
  liveMoneyRanking: 3400,
  liveComplaintRanking: 3400,
  ancestors: 4,
  lineage: 8,
  byCategory: 3,
  byKind: 4,
};
const DEFAULT_LIST_SIZE = 100;

interface Measure {
  depth: number;
  aliases: number;
  cost: number;
}

function listSize(field: GraphQLField<unknown, unknown>, args: Record<string, unknown>): number {
  const limit = args.limit;
  if (typeof limit === 'number') return limit;
  return LIST_SIZES[field.name] ?? DEFAULT_LIST_SIZE;
}

/** Depth, aliases and cost of an operation, walked with the schema (fragments inlined). */
export function measureOperation(schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>): Measure {
  const measure: Measure = { depth: 0, aliases: 0, cost: 0 };
  const root =
    operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  const walk = (set: SelectionSetNode, type: GraphQLCompositeType, depth: number, multiplier: number, seen: Set<string>): void => {
    measure.depth = Math.max(measure.depth, depth);
    for (const selection of set.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments[selection.name.value];
        if (!fragment || seen.has(fragment.name.value)) continue;
        const target = schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType | undefined;
        walk(fragment.selectionSet, target ?? type, depth, multiplier, new Set([...seen, fragment.name.value]));
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const target = selection.typeCondition ? (schema.getType(selection.typeCondition.name.value) as GraphQLCompositeType) : type;
        walk(selection.selectionSet, target ?? type, depth, multiplier, seen);
        continue;
      }
      if (selection.alias) measure.aliases++;
      measure.cost += multiplier;
      const fields = isObjectType(type) || isInterfaceType(type) ? type.getFields() : {};
      const field = fields[selection.name.value];
      if (!field || !selection.selectionSet) continue;
      const args = Object.fromEntries((selection.arguments ?? []).map((a) => [a.name.value, a.value.kind === Kind.INT ? Number(a.value.value) : undefined]));
      const nullable = getNullableType(field.type);
      const inner = isListType(nullable) ? multiplier * listSize(field, args) : multiplier;
      walk(selection.selectionSet, getNamedType(field.type) as GraphQLCompositeType, depth + 1, inner, seen);
    }
  };
  if (root) walk(operation.selectionSet, root, 1, 1, new Set());
  return measure;
}

/** Refuses an operation over a limit, before any subgraph is called. */
export function checkOperation(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  limits: OperationLimits,
): void {
  const m = measureOperation(schema, operation, fragments);
  const refuse = (message: string, limit: string, value: number, max: number) => {
    throw new GraphQLError(message, { extensions: { code: ErrorCode.OPERATION_LIMIT, limit, value, max, http: { status: 400 } } });
  };
  if (m.depth > limits.maxDepth)
    refuse(
      `The operation nests ${m.depth} levels deep; at most ${limits.maxDepth} are served. Split it into several queries.`,
      'depth',
      m.depth,
      limits.maxDepth,
    );
  if (m.aliases > limits.maxAliases)
    refuse(
      `The operation uses ${m.aliases} aliases; at most ${limits.maxAliases} are served. Use a list field (units, caseRanking) instead of many aliases.`,
      'aliases',
      m.aliases,
      limits.maxAliases,
    );
  if (m.cost > limits.maxCost)
    refuse(
      `The operation could return about ${m.cost.toLocaleString('en')} fields; at most ${limits.maxCost.toLocaleString('en')} are served. Ask for fewer fields under large lists, or page through units.`,
      'cost',
      m.cost,
      limits.maxCost,
    );
}
