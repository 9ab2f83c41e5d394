/**
 * Sign-in with the school's Google Workspace or Microsoft 365 account, through OpenID Connect
 * with `openid-client` (panva; certified, maintained, no dependencies beyond jose and
 * oauth4webapi). Authorization code flow with PKCE (S256); `state` and `nonce` are random per
 * attempt, kept server-side under a random id in an HttpOnly cookie, single-use and checked by
 * the library (state against the callback, nonce against the ID token, which it also verifies:
 * issuer, audience, expiry, and its signature against the issuer's published keys).
 *
 * An account is found by the ID token's email only when the provider says the email is verified
 * (`email_verified: true`; Microsoft Entra sends `xms_edov: true` when configured, see
 * server/README.md). The role comes from the account an IT admin made: the provider proves who
 * someone is, never what they may do.
 */
import * as client from 'openid-client';
import { isLoopbackHost, type OidcConfig } from './config.ts';

export const CALLBACK_PATH = '/login/oidc/callback';

export interface StartedSignIn {
  redirectTo: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

export type VerifiedIdentity =
  | { ok: true; email: string; name: string }
  | { ok: false; reason: string };

export class OidcSignIn {
  private discovered: Promise<client.Configuration> | null = null;

  constructor(readonly config: OidcConfig) {}

  get redirectUri(): string {
    return `${this.config.publicUrl}${CALLBACK_PATH}`;
  }

  /** The provider's metadata, fetched once; a failure is retried at the next sign-in. */
  private configuration(): Promise<client.Configuration> {
    if (!this.discovered) {
      const issuer = new URL(this.config.issuer);
      this.discovered = client
        .discovery(issuer, this.config.clientId, this.config.clientSecret, undefined, {
          // Plain http only for an issuer on this machine (the tests' provider): config.ts
          // refuses any other http issuer.
          execute: isLoopbackHost(issuer.hostname) ? [client.allowInsecureRequests] : [],
          timeout: 10,
        })
        .then((configuration) => {
          // The ID token comes straight from the provider's token endpoint over TLS, which the
          // standard accepts as proof enough; checking its signature against the provider's
          // published keys as well costs one cached key fetch and catches a forged token.
          client.enableNonRepudiationChecks(configuration);
          return configuration;
        })
        .catch((err: unknown) => {
          this.discovered = null;
          throw err;
        });
    }
    return this.discovered;
  }

  async start(): Promise<StartedSignIn> {
    const configuration = await this.configuration();
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.redirectUri,
      scope: 'openid email profile',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      prompt: 'select_account',
    });
    return { redirectTo: url.href, state, nonce, codeVerifier };
  }

  /** Completes the callback: exchanges the code and checks everything; never throws. */
  async finish(
    callbackPathAndQuery: string,
    pending: { state: string; nonce: string; codeVerifier: string },
  ): Promise<VerifiedIdentity> {
    try {
      const configuration = await this.configuration();
      const current = new URL(callbackPathAndQuery, `${this.config.publicUrl}/`);
      const tokens = await client.authorizationCodeGrant(configuration, current, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) return { ok: false, reason: 'the provider sent no ID token' };
      const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
      if (!email) return { ok: false, reason: 'the provider did not say which email this is' };
      if (claims.email_verified !== true && claims.xms_edov !== true) {
        return { ok: false, reason: `the provider has not verified the email ${email}` };
      }
      const name = typeof claims.name === 'string' ? claims.name : email;
      return { ok: true, email, name };
    } catch (err) {
      const e = err as { message?: string; error?: string; error_description?: string };
      return {
        ok: false,
        reason: e.error_description ?? e.error ?? e.message ?? 'the sign-in could not be checked',
      };
    }
  }
}
