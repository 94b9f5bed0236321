import { resolve } from 'node:path';
import { LOG_LEVELS, env, readConfig } from '@thads/kit';

export type GatewayConfig = {
  /** @default 4000 */
  PORT: number;
  /** @default 127.0.0.1 */
  HOST: string;
  /** The composed supergraph the gateway serves. @default schema/supergraph.graphql */
  SUPERGRAPH_PATH: string;
  /** Override of a subgraph's URL from the supergraph, e.g. http://cases:4002/graphql in containers. */
  ORG_UNITS_URL: string | undefined;
  CASES_URL: string | undefined;
  FINANCES_URL: string | undefined;
  COMPLAINTS_URL: string | undefined;
  LOG_LEVEL: (typeof LOG_LEVELS)[number];
  /** Database whose outbox announces changes (LISTEN/NOTIFY); without it, live values do not update. */
  DATABASE_URL: string | undefined;
  /** How change events reach the gateway. @default postgres */
  LIVE_TRANSPORT: 'postgres' | 'none';
  /** A live query refreshes at most once per window (ms). @default 250 */
  LIVE_WINDOW_MS: number;
};

/** The project's root: gateway/dist/config.js lives two levels below it. */
export const PROJECT_ROOT = resolve(__dirname, '..', '..');

export function readGatewayConfig(source: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return readConfig<GatewayConfig>(
    {
      PORT: env.port(4000),
      HOST: env.string('127.0.0.1'),
      SUPERGRAPH_PATH: env.string(resolve(PROJECT_ROOT, 'schema', 'supergraph.graphql')),
      ORG_UNITS_URL: env.optionalString(),
      CASES_URL: env.optionalString(),
      FINANCES_URL: env.optionalString(),
      COMPLAINTS_URL: env.optionalString(),
      LOG_LEVEL: env.oneOf(LOG_LEVELS, 'info'),
      DATABASE_URL: env.optionalString(),
      LIVE_TRANSPORT: env.oneOf(['postgres', 'none'] as const, 'postgres'),
      LIVE_WINDOW_MS: env.int(250, 0, 60000),
    },
    source,
  );
}

/** Subgraph name in the supergraph → its URL override, where one is set. */
export function subgraphUrlOverrides(config: GatewayConfig): Record<string, string | undefined> {
  return { 'org-units': config.ORG_UNITS_URL, cases: config.CASES_URL, finances: config.FINANCES_URL, complaints: config.COMPLAINTS_URL };
}
