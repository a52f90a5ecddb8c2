/**
 * Who may sign tokens for this deployment (Convex verifies RS256 JWTs against
 * each provider's JWKS). Production: WorkOS AuthKit, configured by
 * `WORKOS_CLIENT_ID`. Local development: the embedded engine's development
 * issuer, enabled only when `DEV_AUTH_ISSUER` is set (never set it on a
 * production deployment).
 */
const workosClientId = process.env.WORKOS_CLIENT_ID;
const devIssuer = process.env.DEV_AUTH_ISSUER;

type Provider = {
  type: "customJwt";
  issuer: string;
  algorithm: "RS256";
  jwks: string;
  applicationID?: string;
};

const providers: Provider[] = [];
if (workosClientId) {
  const jwks = `https://api.workos.com/sso/jwks/${workosClientId}`;
  providers.push(
    {
      type: "customJwt",
      issuer: "https://api.workos.com/",
      algorithm: "RS256",
      jwks,
      applicationID: workosClientId,
    },
    {
      type: "customJwt",
      issuer: `https://api.workos.com/user_management/${workosClientId}`,
      algorithm: "RS256",
      jwks,
    },
  );
}
if (devIssuer) {
  providers.push({
    type: "customJwt",
    issuer: devIssuer,
    algorithm: "RS256",
    jwks: `${devIssuer}/.well-known/jwks.json`,
    applicationID: "connvo-dev",
  });
}

export default { providers };
