/** Distinct operation names one process labels its metrics with; later ones are counted as "other". */
export const MAX_OPERATION_NAMES = 200;

/** A GraphQL name, the only kind of label value an operation name may become. */
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;

/**
 * The `operation` label of a request: its operation's name, "anonymous" without one, and
 * "other" past the first `max` names or for a name that is not a GraphQL name. Callers choose
 * operation names, so each distinct one would otherwise be a new series in every scrape for
 * ever after.
 */
export class OperationNames {
  private readonly seen = new Set<string>();

  constructor(private readonly max = MAX_OPERATION_NAMES) {}

  label(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    if (this.seen.has(name)) return name;
    if (!GRAPHQL_NAME.test(name) || this.seen.size >= this.max) return 'other';
    this.seen.add(name);
    return name;
  }
}

const OPERATION = /^\s*(?:#[^\n]*\n\s*)*(query|mutation|subscription)\b\s*([_A-Za-z][_0-9A-Za-z]*)?/;

/**
 * The name and type of a request's operation read from its text without parsing it: for
 * answers that never reach the GraphQL executor (the gateway's answer cache, refusals). The
 * request's `operationName` wins; else the first operation of the document.
 */
export function operationOfSource(query: unknown, operationName: unknown): { name?: string; type: string } {
  const text = typeof query === 'string' ? query : '';
  const match = OPERATION.exec(text);
  const type = match?.[1] ?? (text.trimStart().startsWith('{') ? 'query' : 'unknown');
  const name = typeof operationName === 'string' && operationName ? operationName : match?.[2];
  return { name, type };
}
