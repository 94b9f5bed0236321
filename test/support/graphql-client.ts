import { defaultHeaders, signForwarded } from './auth';

export interface GraphQLResponse<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/**
 * What the tests accept, as current clients do: the GraphQL over HTTP media type first, whose
 * status codes say what failed (400 for an operation that does not parse or validate).
 */
export const ACCEPT = 'application/graphql-response+json, application/json;q=0.9';

/** Posts one GraphQL operation over real HTTP. */
export async function gql<T = Record<string, any>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = defaultHeaders(),
): Promise<GraphQLResponse<T> & { status: number; headers: Headers }> {
  const payload = JSON.stringify({ query, variables });
  const sent = await signForwarded(url, 'POST', payload, headers);
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: ACCEPT, ...sent }, body: payload });
  const body = (await res.json()) as GraphQLResponse<T>;
  return { ...body, status: res.status, headers: res.headers };
}

/** The data of a response that must have no errors. */
export async function gqlData<T = Record<string, any>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = defaultHeaders(),
): Promise<T> {
  const res = await gql<T>(url, query, variables, headers);
  if (res.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(res.errors)}`);
  return res.data as T;
}
