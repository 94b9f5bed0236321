import { GraphQLObjectType, GraphQLSchema, Kind, OperationTypeNode, visit, type DocumentNode, type GraphQLFieldConfigMap } from 'graphql';

/**
 * Each live root field and the query root field it refreshes with. A subscription asks
 * for any selection on what the query returns; the live layer runs it as that query.
 */
export const LIVE_FIELDS: Record<string, { query: string; description: string }> = {
  liveUnit: {
    query: 'unit',
    description:
      'A unit, live: the current value at once, then a new value after every committed change to it or anything under it (coalesced, sent only when it changed). Select any fields of OrgUnit, from every subgraph.',
  },
  liveUnitByCode: { query: 'unitByCode', description: 'As liveUnit, the unit found by code.' },
  liveMinistry: { query: 'ministry', description: 'The ministry, live: national totals as they change.' },
  liveCaseRanking: { query: 'caseRanking', description: 'A case ranking, live: re-ranked after every committed change.' },
  liveMoneyRanking: { query: 'moneyRanking', description: 'A money ranking, live.' },
  liveComplaintRanking: { query: 'complaintRanking', description: 'A complaint ranking, live.' },
};

/** The API schema with a Subscription type whose fields mirror the live query fields. */
export function withSubscriptions(api: GraphQLSchema): GraphQLSchema {
  const query = api.getQueryType();
  if (!query || api.getSubscriptionType()) return api;
  const queryFields = query.toConfig().fields;
  const fields: GraphQLFieldConfigMap<unknown, unknown> = {};
  for (const [name, live] of Object.entries(LIVE_FIELDS)) {
    const field = queryFields[live.query];
    if (field) fields[name] = { type: field.type, args: field.args, description: live.description };
  }
  return new GraphQLSchema({
    ...api.toConfig(),
    subscription: new GraphQLObjectType({ name: 'Subscription', description: 'Live values over graphql-ws at /graphql.', fields }),
  });
}

/** The subscription document rewritten as the query that refreshes it. */
export function asRefreshQuery(document: DocumentNode): DocumentNode {
  return visit(document, {
    OperationDefinition(node) {
      if (node.operation !== OperationTypeNode.SUBSCRIPTION) return node;
      return {
        ...node,
        operation: OperationTypeNode.QUERY,
        selectionSet: {
          ...node.selectionSet,
          selections: node.selectionSet.selections.map((s) => {
            if (s.kind !== Kind.FIELD) return s;
            const target = LIVE_FIELDS[s.name.value]?.query;
            // Keep the client's response key: an unaliased liveUnit answers as "liveUnit".
            return target ? { ...s, alias: s.alias ?? { kind: Kind.NAME, value: s.name.value }, name: { kind: Kind.NAME, value: target } } : s;
          }),
        },
      };
    },
  });
}

/** The unit ids a live query is rooted at (liveUnit's id argument), if any. */
export function rootUnitIds(document: DocumentNode, variables: Record<string, unknown>): number[] | 'any' {
  const ids: number[] = [];
  let any = false;
  visit(document, {
    OperationDefinition(node) {
      for (const s of node.selectionSet.selections) {
        if (s.kind !== Kind.FIELD) continue;
        if (s.name.value !== 'liveUnit') {
          any = true;
          continue;
        }
        const arg = s.arguments?.find((a) => a.name.value === 'id');
        const value =
          arg?.value.kind === Kind.VARIABLE
            ? variables[arg.value.name.value]
            : arg?.value.kind === Kind.STRING || arg?.value.kind === Kind.INT
              ? arg.value.value
              : undefined;
        if (value === undefined || !Number.isSafeInteger(Number(value))) any = true;
        else ids.push(Number(value));
      }
      return false;
    },
  });
  return any ? 'any' : ids;
}
