import { ConfigError, readServiceConfig } from './env';

describe('readServiceConfig', () => {
  it('reads the environment with defaults', () => {
    expect(readServiceConfig(4002, { DATABASE_URL: 'postgres://x/y', IDENTITY_SECRET: 's'.repeat(32) })).toEqual({
      PORT: 4002,
      HOST: '127.0.0.1',
      DATABASE_URL: 'postgres://x/y',
      LOG_LEVEL: 'info',
      DB_POOL_SIZE: 10,
      IMPORT_DIR: expect.stringMatching(/\.data\/imports$/),
      IMPORT_MAX_BYTES: 50 * 1024 * 1024,
      IDENTITY_SECRET: 's'.repeat(32),
      IDENTITY_WINDOW_S: 10,
      OUTBOX_RELAY: 'none',
      NATS_URL: 'nats://127.0.0.1:4222',
      NATS_STREAM: 'THADS_CHANGES',
      WRITE_PIPELINE: 'on',
    });
  });

  it('reads IMPORT_MAX_BYTES as a positive whole number of bytes', () => {
    const base = { DATABASE_URL: 'postgres://x/y', IDENTITY_SECRET: 's'.repeat(32) };
    expect(readServiceConfig(4002, { ...base, IMPORT_MAX_BYTES: '1048576' }).IMPORT_MAX_BYTES).toBe(1048576);
    expect(() => readServiceConfig(4002, { ...base, IMPORT_MAX_BYTES: '0' })).toThrow(/IMPORT_MAX_BYTES/);
    expect(() => readServiceConfig(4002, { ...base, IMPORT_MAX_BYTES: '50MB' })).toThrow(/IMPORT_MAX_BYTES/);
  });

  it('refuses a WRITE_PIPELINE other than on or off', () => {
    expect(() => readServiceConfig(4002, { DATABASE_URL: 'postgres://x/y', IDENTITY_SECRET: 's'.repeat(32), WRITE_PIPELINE: 'yes' })).toThrow(/WRITE_PIPELINE/);
  });

  it('refuses an outbox relay it does not know', () => {
    expect(() => readServiceConfig(4002, { DATABASE_URL: 'postgres://x/y', IDENTITY_SECRET: 's'.repeat(32), OUTBOX_RELAY: 'kafka' })).toThrow(/OUTBOX_RELAY/);
  });

  it('reports every problem at once, saying what to set', () => {
    let error: unknown;
    try {
      readServiceConfig(4002, { PORT: 'abc', LOG_LEVEL: 'loud', DB_POOL_SIZE: '0' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(5);
    expect(problems.join('\n')).toMatch(/PORT must be a port number/);
    expect(problems.join('\n')).toMatch(/DATABASE_URL is required/);
    expect(problems.join('\n')).toMatch(/LOG_LEVEL must be one of fatal, error, warn, info, debug, trace/);
    expect(problems.join('\n')).toMatch(/DB_POOL_SIZE must be a whole number 1–200/);
    expect(problems.join('\n')).toMatch(/IDENTITY_SECRET must be a secret of at least 32 characters/);
  });
});
