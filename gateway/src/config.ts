import { resolve } from 'node:path';
import { ConfigError, DEFAULT_NATS_URL, LOG_LEVELS, env, readConfig } from '@thads/kit';
import { trustedProxiesProblem } from './limits/client-address';
import { parseOrigins } from './http/cors';

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
  LIVE_TRANSPORT: 'postgres' | 'nats' | 'none';
  /** NATS server(s) for LIVE_TRANSPORT=nats, comma-separated. @default nats://127.0.0.1:4222 */
  NATS_URL?: string;
  /** JetStream stream of the changes, as the services' NATS_STREAM. @default THADS_CHANGES */
  NATS_STREAM?: string;
  /** A live query refreshes at most once per window (ms). @default 250 */
  LIVE_WINDOW_MS: number;
  /**
   * A live query due now waits up to this long (ms) for others due soon, to refresh them in one
   * merged operation: fewer operations, later values. @default 0
   */
  LIVE_BATCH_SLACK_MS: number;
  /**
   * Where the change feed and the refreshes run: off (the main thread, beside the sockets and
   * HTTP requests) or on (a worker thread of their own, with a gateway executor of its own). @default off
   */
  LIVE_WORKER: 'on' | 'off';
  /** Secret the gateway signs forwarded identities with; the subgraphs share it. Required. */
  IDENTITY_SECRET: string;
  /**
   * Secure mode (`hub start --secure`): callers need credentials, tokens must name the
   * configured issuer and audience (AUTH_ISSUER and AUTH_AUDIENCE required), and
   * introspection is off unless INTROSPECTION=true. @default false
   */
  SECURE: 'true' | 'false';
  /** HS256 secret of bearer tokens (the embedded default). */
  AUTH_JWT_SECRET: string | undefined;
  /** JWKS (file path or URL) for RS256/ES256 bearer tokens. */
  AUTH_JWKS: string | undefined;
  /** Required issuer (iss) and audience (aud) of tokens, when set. */
  AUTH_ISSUER: string | undefined;
  AUTH_AUDIENCE: string | undefined;
  /** Seconds of clock skew tolerated on exp and nbf. @default 60 */
  AUTH_CLOCK_SKEW_S: number;
  /** Longest token lifetime accepted, seconds (exp - iat, or exp - now without iat). @default 86400 */
  AUTH_MAX_TTL: number;
  /** Role of callers without credentials: none (refused) or ministry (local demo only). @default none */
  AUTH_ANONYMOUS: 'none' | 'ministry';
  /** Operation limits, checked before any subgraph is called. */
  MAX_DEPTH: number;
  MAX_ALIASES: number;
  MAX_COST: number;
  MAX_TOKENS: number;
  /**
   * Requests a minute per principal: all API keys and tokens of one organisation together
   * (keys' owner, tokens' `org` claim; else the subject), anonymous callers per client
   * address (0: no limit). @default 600
   */
  RATE_LIMIT_PER_MINUTE: number;
  /** Requests a minute of all callers together, whatever their number (0: no limit). @default 60000 */
  RATE_LIMIT_GLOBAL_PER_MINUTE: number;
  /**
   * Failed authentications one client address may make per AUTH_FAILURE_WINDOW_S; past them
   * each attempt is refused (RATE_LIMITED) without a lookup, for a time that doubles with
   * each attempt (0: no limit). @default 20
   */
  AUTH_FAILURES_PER_WINDOW: number;
  /** @default 60 */
  AUTH_FAILURE_WINDOW_S: number;
  /**
   * Proxies whose X-Forwarded-For names the client (addresses or CIDR ranges, comma-separated);
   * unset, the peer's address is the client's.
   */
  TRUSTED_PROXIES: string | undefined;
  /** Live subscriptions one graphql-ws connection may hold (0: no cap). @default 50 */
  LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION: number;
  /** Live subscriptions one principal may hold over all its connections (0: no cap). @default 200 */
  LIVE_MAX_SUBSCRIPTIONS_PER_PRINCIPAL: number;
  /** Origins whose pages may call the API from a browser (comma-separated, `*` for any); unset, none but the gateway's own. */
  CORS_ORIGINS: string | undefined;
  /** JSON file of registered operations (sha256 → document): when set, only those run. */
  PERSISTED_OPERATIONS_FILE: string | undefined;
  /** When set, /metrics answers only `Authorization: Bearer <METRICS_TOKEN>` (it shows the operation names clients use). @default unset: open */
  METRICS_TOKEN: string | undefined;
  /** Whether introspection is served (integrators need it). @default true, false when SECURE=true */
  INTROSPECTION: 'true' | 'false';
  /**
   * Whole answers kept until a committed change touches them (needs DATABASE_URL, whose
   * change notices it listens to). @default on
   */
  ANSWER_CACHE: 'on' | 'off';
  /** Memory for kept answers, MB; the least recently used go first. @default 64 */
  ANSWER_CACHE_MB: number;
};

/** The project's root: gateway/dist/config.js lives two levels below it. */
export const PROJECT_ROOT = resolve(__dirname, '..', '..');

/**
 * The gateway's settings from the environment. In secure mode, tokens for any issuer or
 * audience would pass, and a schema served to anyone helps an attacker: issuer and audience
 * are required there, and introspection is off unless asked for.
 */
export function readGatewayConfig(source: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const config = readConfig<GatewayConfig>(
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
      LIVE_TRANSPORT: env.oneOf(['postgres', 'nats', 'none'] as const, 'postgres'),
      NATS_URL: env.string(DEFAULT_NATS_URL),
      NATS_STREAM: env.string('THADS_CHANGES'),
      LIVE_WINDOW_MS: env.int(250, 0, 60000),
      LIVE_BATCH_SLACK_MS: env.int(0, 0, 60000),
      LIVE_WORKER: env.oneOf(['on', 'off'] as const, 'off'),
      IDENTITY_SECRET: env.secret(),
      SECURE: env.oneOf(['true', 'false'] as const, 'false'),
      AUTH_JWT_SECRET: env.optionalString(),
      AUTH_JWKS: env.optionalString(),
      AUTH_ISSUER: env.optionalString(),
      AUTH_AUDIENCE: env.optionalString(),
      AUTH_CLOCK_SKEW_S: env.int(60, 0, 3600),
      AUTH_MAX_TTL: env.int(86400, 60, 366 * 86400),
      AUTH_ANONYMOUS: env.oneOf(['none', 'ministry'] as const, 'none'),
      MAX_DEPTH: env.int(12, 2, 100),
      MAX_ALIASES: env.int(30, 0, 10000),
      MAX_COST: env.int(200000, 1, 100000000),
      MAX_TOKENS: env.int(5000, 100, 1000000),
      RATE_LIMIT_PER_MINUTE: env.int(600, 0, 1000000),
      RATE_LIMIT_GLOBAL_PER_MINUTE: env.int(60000, 0, 100000000),
      AUTH_FAILURES_PER_WINDOW: env.int(20, 0, 1000000),
      AUTH_FAILURE_WINDOW_S: env.int(60, 1, 86400),
      TRUSTED_PROXIES: (raw, name) => {
        const problem = raw ? trustedProxiesProblem(raw) : undefined;
        if (problem) throw new Error(`${name}: ${problem}`);
        return raw || undefined;
      },
      LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION: env.int(50, 0, 1000000),
      LIVE_MAX_SUBSCRIPTIONS_PER_PRINCIPAL: env.int(200, 0, 100000000),
      CORS_ORIGINS: (raw, name) => {
        try {
          parseOrigins(raw);
        } catch (err) {
          throw new Error(`${name}: ${(err as Error).message}`, { cause: err });
        }
        return raw || undefined;
      },
      PERSISTED_OPERATIONS_FILE: env.optionalString(),
      METRICS_TOKEN: env.optionalString(),
      INTROSPECTION: env.oneOf(['true', 'false'] as const, source.SECURE === 'true' ? 'false' : 'true'),
      ANSWER_CACHE: env.oneOf(['on', 'off'] as const, 'on'),
      ANSWER_CACHE_MB: env.int(64, 1, 65536),
    },
    source,
  );
  if (config.SECURE === 'true') {
    const problems: string[] = [];
    if (!config.AUTH_ISSUER) problems.push('AUTH_ISSUER is required with SECURE=true (the iss tokens must carry)');
    if (!config.AUTH_AUDIENCE) problems.push('AUTH_AUDIENCE is required with SECURE=true (the aud tokens must carry)');
    if (config.AUTH_ANONYMOUS !== 'none') problems.push('AUTH_ANONYMOUS must be none with SECURE=true');
    if (problems.length) throw new ConfigError(problems);
  }
  return config;
}

/** Subgraph name in the supergraph → its URL override, where one is set. */
export function subgraphUrlOverrides(config: GatewayConfig): Record<string, string | undefined> {
  return { 'org-units': config.ORG_UNITS_URL, cases: config.CASES_URL, finances: config.FINANCES_URL, complaints: config.COMPLAINTS_URL };
}
