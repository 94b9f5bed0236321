import { Kind, parse, valueFromASTUntyped, type DocumentNode, type SelectionSetNode } from 'graphql';
import { resolvePeriod, type PeriodSpec } from '@thads/kit';

/** A fetch that reads something no period bounds (a case by id, its current status). */
const UNBOUNDED = '9999-12-31';

/** Fields that name what a fetch is about, not figures: reading them reads no date. */
const KEYS = new Set(['__typename', 'id', '_entities']);

const documents = new Map<string, DocumentNode | null>();

function documentOf(query: string): DocumentNode | null {
  let document = documents.get(query);
  if (document === undefined) {
    try {
      document = parse(query);
    } catch {
      document = null;
    }
    if (documents.size > 1000) documents.clear();
    documents.set(query, document);
  }
  return document;
}

/**
 * The last day whose figures a subgraph fetch reads: the latest end of the `period` arguments
 * of its fields (a stats field, a ranking: everything under it is within the period, its
 * previous year too); the far future when a figure is read outside any period. A change that
 * starts after that day cannot change the fetch's answer: the figures of a period are sums of
 * deltas up to its end.
 */
export function lastDayRead(query: string, variables: Record<string, unknown> | undefined): string {
  const document = documentOf(query);
  const operation = document?.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) return UNBOUNDED;
  let last = '';
  const visit = (set: SelectionSetNode): boolean => {
    for (const s of set.selections) {
      if (s.kind === Kind.INLINE_FRAGMENT) {
        if (!visit(s.selectionSet)) return false;
        continue;
      }
      if (s.kind !== Kind.FIELD) return false; // named fragments: not worth following here
      const period = s.arguments?.find((a) => a.name.value === 'period');
      if (period) {
        let end: string;
        try {
          end = resolvePeriod(valueFromASTUntyped(period.value, variables) as PeriodSpec).end;
        } catch {
          return false;
        }
        if (end > last) last = end;
        continue;
      }
      if (s.selectionSet ? !visit(s.selectionSet) : !KEYS.has(s.name.value)) return false;
    }
    return true;
  };
  return visit(operation.selectionSet) && last ? last : UNBOUNDED;
}
