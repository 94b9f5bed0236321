import { resolve } from 'node:path';
import { DEFAULT_NATS_URL } from '../events/change-stream';
import { DEFAULT_IMPORT_MAX_BYTES } from '../write/import-folder';

/**
 * Typed configuration read from the environment once, at start. Every problem is reported
 * together, with what to set, before anything else runs.
 */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

type Reader<T> = (raw: string | undefined, name: string) => T;

export const env = {
  string:
    (fallback?: string): Reader<string> =>
    (raw, name) => {
      const value = raw ?? fallback;
      if (value === undefined || value === '') throw new Error(`${name} is required`);
      return value;
    },
  optionalString: (): Reader<string | undefined> => (raw) => (raw === '' ? undefined : raw),
  /** A secret of at least 32 characters. */
  secret: (): Reader<string> => (raw, name) => {
    if (!raw || raw.length < 32)
      throw new Error(`${name} must be a secret of at least 32 characters (e.g. from "openssl rand -hex 32"), shared by the gateway and the subgraphs`);
    return raw;
  },
  port:
    (fallback?: number): Reader<number> =>
    (raw, name) => {
      const value = raw === undefined || raw === '' ? fallback : Number(raw);
      if (value === undefined || !Number.isInteger(value) || value < 0 || value > 65535) {
        throw new Error(`${name} must be a port number 0–65535 (0 picks a free one), got "${raw}"`);
      }
      return value;
    },
  int:
    (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): Reader<number> =>
    (raw, name) => {
      const value = raw === undefined || raw === '' ? fallback : Number(raw);
      if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be a whole number ${min}–${max}, got "${raw}"`);
      return value;
    },
  oneOf:
    <T extends string>(values: readonly T[], fallback: T): Reader<T> =>
    (raw, name) => {
      const value = (raw === undefined || raw === '' ? fallback : raw) as T;
      if (!values.includes(value)) throw new Error(`${name} must be one of ${values.join(', ')}, got "${raw}"`);
      return value;
    },
};

/** Reads every key of `spec` from `source`; throws one ConfigError listing all problems. */
export function readConfig<T extends Record<string, unknown>>(spec: { [K in keyof T]: Reader<T[K]> }, source: NodeJS.ProcessEnv = process.env): T {
  const problems: string[] = [];
  const out = {} as T;
  for (const key of Object.keys(spec) as (keyof T & string)[]) {
    try {
      out[key] = spec[key](source[key], key);
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  if (problems.length) throw new ConfigError(problems);
  return out;
}

/** The settings every subgraph process shares. */
export type ServiceConfig = {
  /** Port of the HTTP server. @default the service's own port */
  PORT: number;
  /** Address to listen on: loopback, so that only the gateway on this machine reaches it; a private interface only when set. @default 127.0.0.1 */
  HOST: string;
  /** PostgreSQL connection string. */
  DATABASE_URL: string;
  /** pino level. @default info */
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
  /** Connections in the pool. @default 10 */
  DB_POOL_SIZE: number;
  /** Folder the import mutations read server-side files from. @default ./.data/imports */
  IMPORT_DIR: string;
  /** Largest import file in bytes; a larger one is refused (BAD_USER_INPUT) before it is read. @default 52428800 (50 MiB) */
  IMPORT_MAX_BYTES?: number;
  /** Secret shared with the gateway, which signs the caller's identity with it. Required. */
  IDENTITY_SECRET: string;
  /**
   * Seconds a forwarded identity's signature is good for, either side of the time it was made;
   * its nonce is remembered twice as long, so that each signature serves one request. @default 10
   */
  IDENTITY_WINDOW_S?: number;
  /** Where committed changes go besides PostgreSQL's NOTIFY: `nats` publishes the outbox to JetStream (the gateways' LIVE_TRANSPORT=nats). @default none */
  OUTBOX_RELAY?: 'none' | 'nats';
  /** NATS server(s) for OUTBOX_RELAY=nats, comma-separated. @default nats://127.0.0.1:4222 */
  NATS_URL?: string;
  /** JetStream stream of the changes; hubs on different databases sharing a NATS server need different ones. @default THADS_CHANGES */
  NATS_STREAM?: string;
  /**
   * `on`: a single write pipelines its statements (a case write in 3 round trips). `off`: one
   * statement a round trip, for a proxy in front of PostgreSQL that does not take several
   * extended-protocol messages before a Sync. @default on
   */
  WRITE_PIPELINE?: 'on' | 'off';
  /** When set, /metrics answers only `Authorization: Bearer <METRICS_TOKEN>`. @default unset: open to whoever reaches the port */
  METRICS_TOKEN?: string;
};

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;

export function readServiceConfig(defaultPort: number, source: NodeJS.ProcessEnv = process.env): ServiceConfig {
  return readConfig<ServiceConfig>(
    {
      PORT: env.port(defaultPort),
      HOST: env.string('127.0.0.1'),
      DATABASE_URL: env.string(),
      LOG_LEVEL: env.oneOf(LOG_LEVELS, 'info'),
      DB_POOL_SIZE: env.int(10, 1, 200),
      IMPORT_DIR: env.string(resolve('.data', 'imports')),
      IMPORT_MAX_BYTES: env.int(DEFAULT_IMPORT_MAX_BYTES, 1),
      IDENTITY_SECRET: env.secret(),
      IDENTITY_WINDOW_S: env.int(10, 1, 300),
      OUTBOX_RELAY: env.oneOf(['none', 'nats'] as const, 'none'),
      NATS_URL: env.string(DEFAULT_NATS_URL),
      NATS_STREAM: env.string('THADS_CHANGES'),
      WRITE_PIPELINE: env.oneOf(['on', 'off'] as const, 'on'),
      METRICS_TOKEN: env.optionalString(),
    },
    source,
  );
}
