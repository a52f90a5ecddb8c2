/**
 * Token verification as Convex does it for `convex/auth.config.ts`: find the
 * provider whose issuer matches the token's `iss`, verify the RS256 signature
 * against that provider's JWKS, check `aud` against its `applicationID` (when
 * set) and the expiry, then map the claims to a `UserIdentity`
 * (`tokenIdentifier = iss + "|" + sub`, OIDC standard claims renamed to
 * camelCase, every other claim passed through as is).
 */
import type { UserIdentity } from "convex/server";
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  errors,
  type JSONWebKeySet,
  type JWTPayload,
  jwtVerify,
} from "jose";

/** One entry of `auth.config.ts`'s `providers`. */
export type AuthProviderConfig = {
  type?: "customJwt";
  issuer?: string;
  jwks?: string;
  algorithm?: string;
  applicationID?: string;
  /** OIDC providers: the issuer URL (JWKS found by discovery). */
  domain?: string;
};

/** Why a token was refused (sent as `AuthError` over WebSocket, 401 over HTTP). */
export class AuthFailure extends Error {}

const CLAIM_TO_ATTRIBUTE: Record<string, string> = {
  name: "name",
  given_name: "givenName",
  family_name: "familyName",
  nickname: "nickname",
  preferred_username: "preferredUsername",
  profile: "profileUrl",
  picture: "pictureUrl",
  email: "email",
  email_verified: "emailVerified",
  gender: "gender",
  birthdate: "birthday",
  zoneinfo: "timezone",
  locale: "language",
  phone_number: "phoneNumber",
  phone_number_verified: "phoneNumberVerified",
  address: "address",
  updated_at: "updatedAt",
};
const REGISTERED_CLAIMS = new Set(["iss", "sub", "aud", "exp", "nbf", "iat", "jti"]);

/** Map verified JWT claims to the identity functions see. */
export function identityFromClaims(claims: JWTPayload): UserIdentity {
  const iss = claims.iss;
  const sub = claims.sub;
  if (!iss || !sub) throw new AuthFailure("Token is missing the iss or sub claim");
  const identity: Record<string, unknown> = {
    tokenIdentifier: `${iss}|${sub}`,
    subject: sub,
    issuer: iss,
  };
  for (const [claim, value] of Object.entries(claims)) {
    if (REGISTERED_CLAIMS.has(claim) || value === undefined) continue;
    identity[CLAIM_TO_ATTRIBUTE[claim] ?? claim] =
      claim === "updated_at" && typeof value === "number"
        ? new Date(value * 1000).toISOString()
        : value;
  }
  return identity as UserIdentity;
}

type KeySet = ReturnType<typeof createRemoteJWKSet> | ReturnType<typeof createLocalJWKSet>;
type Provider = {
  issuer: string;
  algorithm: string;
  applicationID?: string;
  keys: () => Promise<KeySet>;
};

/** Verifies bearer tokens against a fixed list of providers. */
export class TokenVerifier {
  private readonly providers: Provider[] = [];

  /**
   * @param configs - the `providers` of `auth.config.ts`
   * @param local - issuers whose JWKS the engine holds itself (the dev issuer)
   */
  constructor(
    configs: AuthProviderConfig[],
    local: Array<{ issuer: string; jwks: JSONWebKeySet; applicationID: string }>,
  ) {
    for (const l of local) {
      const set = createLocalJWKSet(l.jwks);
      this.providers.push({
        issuer: l.issuer,
        algorithm: "RS256",
        applicationID: l.applicationID,
        keys: async () => set,
      });
    }
    for (const c of configs) {
      if (c.issuer && this.providers.some((p) => p.issuer === c.issuer)) continue;
      if (c.type === "customJwt" && c.issuer && c.jwks) {
        const set = createRemoteJWKSet(new URL(c.jwks));
        const p: Provider = {
          issuer: c.issuer,
          algorithm: c.algorithm ?? "RS256",
          keys: async () => set,
        };
        if (c.applicationID) p.applicationID = c.applicationID;
        this.providers.push(p);
      } else if (c.domain) {
        const issuer = c.domain.replace(/\/$/, "");
        let set: KeySet | undefined;
        const p: Provider = {
          issuer,
          algorithm: "RS256",
          keys: async () => {
            if (!set) {
              const res = await fetch(`${issuer}/.well-known/openid-configuration`);
              const { jwks_uri } = (await res.json()) as { jwks_uri: string };
              set = createRemoteJWKSet(new URL(jwks_uri));
            }
            return set;
          },
        };
        if (c.applicationID) p.applicationID = c.applicationID;
        this.providers.push(p);
      }
    }
  }

  /** The issuers this verifier trusts. */
  get issuers(): string[] {
    return this.providers.map((p) => p.issuer);
  }

  /** Verify `token` and return its identity, or throw {@link AuthFailure}. */
  async verify(token: string): Promise<UserIdentity> {
    return (await this.verifyWithExpiry(token)).identity;
  }

  /** Verify `token`; also return its expiry (ms since epoch) when it has one. */
  async verifyWithExpiry(
    token: string,
  ): Promise<{ identity: UserIdentity; expiresAtMs: number | null }> {
    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(token);
    } catch {
      throw new AuthFailure(
        "Could not parse JWT payload. Check that the token is a valid JWT format.",
      );
    }
    const provider = this.providers.find(
      (p) => p.issuer === unverified.iss || p.issuer === unverified.iss?.replace(/\/$/, ""),
    );
    if (!provider) {
      throw new AuthFailure(
        `No auth provider found matching the given token (issuer ${JSON.stringify(unverified.iss)}). Check that your JWT's issuer and audience match one of your configured providers: [${this.issuers.join(", ")}]`,
      );
    }
    try {
      const options: Parameters<typeof jwtVerify>[2] = { algorithms: [provider.algorithm] };
      if (provider.applicationID) options.audience = provider.applicationID;
      const { payload } = await jwtVerify(token, await provider.keys(), options);
      return {
        identity: identityFromClaims(payload),
        expiresAtMs: typeof payload.exp === "number" ? payload.exp * 1000 : null,
      };
    } catch (e) {
      if (e instanceof AuthFailure) throw e;
      if (e instanceof errors.JWTExpired) throw new AuthFailure("Token expired");
      if (e instanceof errors.JWTClaimValidationFailed) {
        throw new AuthFailure(`Token claim "${e.claim}" is invalid: ${e.reason}`);
      }
      if (e instanceof errors.JWSSignatureVerificationFailed) {
        throw new AuthFailure("Could not verify token signature");
      }
      throw new AuthFailure(`Could not verify token: ${(e as Error).message}`);
    }
  }
}
