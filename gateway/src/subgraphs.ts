const JOIN_GRAPH = /@join__graph\(name:\s*"([^"]+)",\s*url:\s*"([^"]+)"\)/g;

/** The subgraphs named in a supergraph, with their URLs. */
export function subgraphsOf(supergraphSdl: string): { name: string; url: string }[] {
  return [...supergraphSdl.matchAll(JOIN_GRAPH)].map((m) => ({ name: m[1]!, url: m[2]! }));
}

/** Whether every subgraph's `/ready` answers 200 within a second. */
export async function allReady(graphqlUrls: string[]): Promise<boolean> {
  const answers = await Promise.all(
    graphqlUrls.map((url) =>
      fetch(url.replace(/\/graphql$/, '/ready'), { signal: AbortSignal.timeout(1000) }).then(
        (r) => r.ok,
        () => false,
      ),
    ),
  );
  return answers.every(Boolean);
}
