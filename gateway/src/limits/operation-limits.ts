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
  type FieldNode,
  valueFromASTUntyped,
} from 'graphql';
import { ErrorCode, todayInVietnam } from '@thads/kit';
import { STATIC_SIZES, type HierarchySizes } from './hierarchy-sizes';
import { fixedListSize, hierarchyListSize } from './list-sizes';

export interface OperationLimits {
  /** Deepest nesting of fields. @default 12 */
  maxDepth: number;
  /** Aliased fields in one operation. @default 30 */
  maxAliases: number;
  /** Estimated cost: each field costs 1 times the sizes of the lists around it, counted from their arguments and the hierarchy. @default 200000 */
  maxCost: number;
}

interface Measure {
  depth: number;
  aliases: number;
  cost: number;
}

/** Where the walk stands: what each field here costs, and what is known of the object the fields are read on. */
interface Scope {
  multiplier: number;
  /** The object is a unit known not to be the root (an item of children, descendants, a level's units). */
  belowRoot: boolean;
  /** The object is a connection: its `edges` and `nodes` hold this many items. */
  page?: number;
}

/** Fields that hand on what is known of the unit they lead to. */
const SAME_UNIT = new Set(['edges', 'nodes', 'node', 'unit']);

/** A field's arguments as the request gives them: literals, variables, else the schema's defaults. */
function argumentsOf(field: GraphQLField<unknown, unknown>, node: FieldNode, variables: Record<string, unknown>): Record<string, unknown> {
  const given = new Map((node.arguments ?? []).map((a) => [a.name.value, a.value]));
  const args: Record<string, unknown> = {};
  for (const arg of field.args) {
    const value = given.get(arg.name);
    const resolved = value ? valueFromASTUntyped(value, variables) : undefined;
    args[arg.name] = resolved ?? arg.defaultValue;
  }
  return args;
}

/** Depth, aliases and cost of an operation, walked with the schema (fragments inlined). */
export function measureOperation(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  sizes: HierarchySizes = STATIC_SIZES,
  variables: Record<string, unknown> = {},
  today: string = todayInVietnam(),
): Measure {
  const measure: Measure = { depth: 0, aliases: 0, cost: 0 };
  const root =
    operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  const walk = (set: SelectionSetNode, type: GraphQLCompositeType, depth: number, scope: Scope, seen: Set<string>): void => {
    const { multiplier } = scope;
    measure.depth = Math.max(measure.depth, depth);
    for (const selection of set.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments[selection.name.value];
        if (!fragment || seen.has(fragment.name.value)) continue;
        const target = schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType | undefined;
        walk(fragment.selectionSet, target ?? type, depth, scope, new Set([...seen, fragment.name.value]));
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const target = selection.typeCondition ? (schema.getType(selection.typeCondition.name.value) as GraphQLCompositeType) : type;
        walk(selection.selectionSet, target ?? type, depth, scope, seen);
        continue;
      }
      if (selection.alias) measure.aliases++;
      measure.cost += multiplier;
      const fields = isObjectType(type) || isInterfaceType(type) ? type.getFields() : {};
      const field = fields[selection.name.value];
      if (!field || !selection.selectionSet) continue;
      const args = argumentsOf(field, selection, variables);
      const estimate = hierarchyListSize(field.name, args, scope.belowRoot, sizes, today);
      const inherited = SAME_UNIT.has(field.name) && scope.belowRoot;
      let inner: Scope;
      if (isListType(getNullableType(field.type))) {
        // A connection's page, a list of the hierarchy counted from its arguments, or any other list.
        const size =
          scope.page !== undefined && (field.name === 'edges' || field.name === 'nodes') ? scope.page : (estimate?.size ?? fixedListSize(field.name, args));
        inner = { multiplier: multiplier * size, belowRoot: estimate?.belowRoot ?? inherited };
      } else if (estimate) {
        // A connection: the page's size applies to its edges and nodes.
        inner = { multiplier, belowRoot: estimate.belowRoot, page: estimate.size };
      } else inner = { multiplier, belowRoot: inherited };
      walk(selection.selectionSet, getNamedType(field.type) as GraphQLCompositeType, depth + 1, inner, seen);
    }
  };
  if (root) walk(operation.selectionSet, root, 1, { multiplier: 1, belowRoot: false }, new Set());
  return measure;
}

/** Refuses an operation over a limit, before any subgraph is called. */
export function checkOperation(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  limits: OperationLimits,
  sizes: HierarchySizes = STATIC_SIZES,
  variables: Record<string, unknown> = {},
): void {
  const m = measureOperation(schema, operation, fragments, sizes, variables);
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
      `The operation could return about ${m.cost.toLocaleString('en')} fields; at most ${limits.maxCost.toLocaleString('en')} are served. Ask for fewer fields under large lists, or page them (unitsConnection, childrenConnection, descendantsConnection with a smaller first).`,
      'cost',
      m.cost,
      limits.maxCost,
    );
}
