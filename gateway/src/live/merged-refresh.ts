import {
  Kind,
  visit,
  type DocumentNode,
  type FormattedExecutionResult,
  type NameNode,
  type OperationDefinitionNode,
  type SelectionNode,
  type VariableDefinitionNode,
} from 'graphql';

/**
 * Several live queries with one document (and one access scope) but different variables,
 * refreshed by one gateway operation: the operation's root fields repeated once a member
 * under the alias `_<i>_<key>`, its variables renamed `<name>_<i>`. One operation plans
 * one fetch a subgraph for all the members, where the subgraphs' DataLoaders answer every
 * unit with one SQL statement, instead of one federated query a member.
 */
export interface MergedRefresh {
  document: DocumentNode;
  variables: Record<string, unknown>;
}

const prefix = (i: number) => `_${i}_`;
const nameNode = (value: string): NameNode => ({ kind: Kind.NAME, value });

/** Null when the document cannot be merged (a fragment reads an operation variable, or no single operation). */
export function mergeRefreshes(document: DocumentNode, variablesList: readonly Record<string, unknown>[]): MergedRefresh | null {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operations.length !== 1) return null;
  const operation = operations[0]!;
  const fragments = document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION);
  let fragmentReadsVariable = false;
  for (const f of fragments) visit(f, { Variable: () => void (fragmentReadsVariable = true) });
  if (fragmentReadsVariable) return null;

  const variables: Record<string, unknown> = {};
  const definitions = variablesList.flatMap((values, i) =>
    (operation.variableDefinitions ?? []).map((d): VariableDefinitionNode => {
      const name = `${d.variable.name.value}_${i}`;
      if (d.variable.name.value in values) variables[name] = values[d.variable.name.value];
      return { ...d, variable: { ...d.variable, name: nameNode(name) } };
    }),
  );
  const selections = variablesList.flatMap((_, i) =>
    operation.selectionSet.selections.map((s): SelectionNode => {
      const renamed = visit(s, { Variable: (v) => ({ ...v, name: nameNode(`${v.name.value}_${i}`) }) });
      if (renamed.kind !== Kind.FIELD) return renamed;
      const key = renamed.alias?.value ?? renamed.name.value;
      return { ...renamed, alias: nameNode(prefix(i) + key) };
    }),
  );
  if (selections.some((s) => s.kind !== Kind.FIELD)) return null; // root fragments: keep it simple, run them one by one
  const merged: OperationDefinitionNode = {
    ...operation,
    name: undefined,
    variableDefinitions: definitions,
    selectionSet: { ...operation.selectionSet, selections },
  };
  return { document: { ...document, definitions: [merged, ...fragments] }, variables };
}

/** The merged result cut back into one result a member, errors sent to the member whose field they came from. */
export function splitMerged(result: FormattedExecutionResult, count: number): FormattedExecutionResult[] {
  const parts: FormattedExecutionResult[] = Array.from({ length: count }, () => ({ data: result.data === null ? null : {} }));
  if (result.data) {
    for (const [alias, value] of Object.entries(result.data)) {
      const m = /^_(\d+)_(.*)$/s.exec(alias);
      if (m) (parts[Number(m[1])]!.data as Record<string, unknown>)[m[2]!] = value;
    }
  }
  for (const error of result.errors ?? []) {
    const head = error.path?.[0];
    const m = typeof head === 'string' ? /^_(\d+)_(.*)$/s.exec(head) : null;
    const targets = m ? [Number(m[1])] : parts.map((_, i) => i);
    for (const i of targets) {
      const part = parts[i]!;
      const path = m && error.path ? [m[2]!, ...error.path.slice(1)] : error.path;
      (part as { errors?: unknown[] }).errors = [...(part.errors ?? []), { ...error, path }];
    }
  }
  return parts;
}
