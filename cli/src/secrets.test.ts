import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embeddedDatabasePassword, hubSecrets } from './secrets';

describe('the local secrets file', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'thads-secrets-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('makes the embedded database password once, at random, and keeps it owner-only', () => {
    const file = join(dir, 'secrets.json');
    const first = embeddedDatabasePassword({}, file);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(embeddedDatabasePassword({}, file)).toBe(first);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(embeddedDatabasePassword({}, join(dir, 'other.json'))).not.toBe(first);
  });

  it('keeps every secret when another is added, and makes a file that came back readable owner-only again', () => {
    const file = join(dir, 'secrets.json');
    writeFileSync(file, JSON.stringify({ jwtSecret: 'j'.repeat(64), identitySecret: 'i'.repeat(64) }), { mode: 0o644 });
    const password = embeddedDatabasePassword({}, file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(hubSecrets({}, file)).toEqual({ jwtSecret: 'j'.repeat(64), identitySecret: 'i'.repeat(64) });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ jwtSecret: 'j'.repeat(64), identitySecret: 'i'.repeat(64), databasePassword: password });
  });

  it('takes EMBEDDED_PG_PASSWORD from the environment without writing it down', () => {
    const file = join(dir, 'secrets.json');
    expect(embeddedDatabasePassword({ EMBEDDED_PG_PASSWORD: 'given' }, file)).toBe('given');
    expect(() => statSync(file)).toThrow();
  });
});
