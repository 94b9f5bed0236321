import { readGatewayConfig } from './config';

const base = { IDENTITY_SECRET: 's'.repeat(32) };

describe('readGatewayConfig in secure mode', () => {
  it('requires an issuer and an audience, and callers with credentials', () => {
    expect(() => readGatewayConfig({ ...base, SECURE: 'true' })).toThrow(/AUTH_ISSUER is required[\s\S]*AUTH_AUDIENCE is required/);
    expect(() => readGatewayConfig({ ...base, SECURE: 'true', AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a', AUTH_ANONYMOUS: 'ministry' })).toThrow(/AUTH_ANONYMOUS/);
  });

  it('turns introspection off unless INTROSPECTION=true, and limits token lifetimes', () => {
    const secure = { ...base, SECURE: 'true', AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a' };
    expect(readGatewayConfig(secure)).toMatchObject({ SECURE: 'true', INTROSPECTION: 'false', AUTH_MAX_TTL: 86400 });
    expect(readGatewayConfig({ ...secure, INTROSPECTION: 'true', AUTH_MAX_TTL: '3600' })).toMatchObject({ INTROSPECTION: 'true', AUTH_MAX_TTL: 3600 });
    expect(readGatewayConfig(base)).toMatchObject({ SECURE: 'false', INTROSPECTION: 'true' });
  });
});
