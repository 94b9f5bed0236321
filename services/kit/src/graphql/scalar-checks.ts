import { GraphQLScalarType, Kind, type GraphQLSchema, type ValueNode } from 'graphql';
import { parseLocalDate } from '../time/local-date';
import { VndScalar } from './scalars';

function literalText(ast: ValueNode): unknown {
  return ast.kind === Kind.STRING || ast.kind === Kind.INT ? ast.value : undefined;
}

/** Checks that keep the wire value as it is (a string), for a schema that only forwards it. */
const CHECKS: Record<string, (value: unknown) => unknown> = {
  Date: (value) => parseLocalDate(value),
  VND: (value) => {
    VndScalar.parseValue(value);
    return typeof value === 'number' ? String(value) : value;
  },
};

/**
 * Gives a schema built from SDL (the gateway's supergraph, where every custom scalar
 * accepts anything) the same input checks as the subgraphs, so that a malformed date is
 * refused with INVALID_DATE before any subgraph is called.
 */
export function installScalarChecks(schema: GraphQLSchema): void {
  for (const [name, check] of Object.entries(CHECKS)) {
    const type = schema.getType(name);
    if (!(type instanceof GraphQLScalarType)) continue;
    type.parseValue = check;
    type.parseLiteral = (ast) => check(literalText(ast));
  }
}
