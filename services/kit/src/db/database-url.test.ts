import { maskDatabaseUrl } from './database-url';

describe('maskDatabaseUrl', () => {
  it('hides the password of a URL and keeps the rest', () => {
    expect(maskDatabaseUrl('postgres://postgres:s3cr3t@127.0.0.1:54329/thads')).toBe('postgres://postgres:***@127.0.0.1:54329/thads');
    expect(maskDatabaseUrl('postgresql://app:p%40ss@db.example:5432/thads?sslmode=require')).toBe('postgresql://app:***@db.example:5432/thads?sslmode=require');
  });

  it('leaves a URL without a password as it is', () => {
    expect(maskDatabaseUrl('postgres://postgres@127.0.0.1:5432/postgres')).toBe('postgres://postgres@127.0.0.1:5432/postgres');
  });

  it('hides the password of a key-value connection string and of a URL it cannot parse', () => {
    expect(maskDatabaseUrl("host=db user=app password='a b' dbname=thads")).toBe('host=db user=app password=*** dbname=thads');
    expect(maskDatabaseUrl('postgres://app:pa ss@db:bad-port/thads')).not.toMatch(/pa ss/);
    expect(maskDatabaseUrl('postgres://app:one@db/thads?password=two')).toBe('postgres://app:***@db/thads?password=***');
  });
});
