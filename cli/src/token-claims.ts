/**
 * The issuer and audience of the tokens the embedded hub makes (`hub keys --action token`)
 * and that `hub start --secure` requires of every token. AUTH_ISSUER and AUTH_AUDIENCE
 * replace them, for tokens from an identity provider.
 */
export const EMBEDDED_ISSUER = 'thads-hub';
export const EMBEDDED_AUDIENCE = 'thads-hub-api';

export function tokenClaims(env: NodeJS.ProcessEnv = process.env): { issuer: string; audience: string } {
  return { issuer: env.AUTH_ISSUER || EMBEDDED_ISSUER, audience: env.AUTH_AUDIENCE || EMBEDDED_AUDIENCE };
}
