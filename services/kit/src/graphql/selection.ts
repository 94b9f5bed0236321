import type { FieldNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';

/** Whether the field being resolved selects any of these subfields (through fragments too). */
export function selects(info: GraphQLResolveInfo, ...names: string[]): boolean {
  const wanted = new Set(names);
  const visit = (set: SelectionSetNode | undefined, seen: Set<string>): boolean =>
    !!set &&
    set.selections.some((s) => {
      if (s.kind === 'Field') return wanted.has(s.name.value);
      if (s.kind === 'InlineFragment') return visit(s.selectionSet, seen);
      if (seen.has(s.name.value)) return false;
      seen.add(s.name.value);
      return visit(info.fragments[s.name.value]?.selectionSet, seen);
    });
  return info.fieldNodes.some((node: FieldNode) => visit(node.selectionSet, new Set()));
}
