/** Sign-in through an OpenID provider (authorisation code with PKCE). */
export interface OidcSettings {
  /** The provider's issuer URL; its discovery document says the rest. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** This console's callback as registered with the provider, e.g. https://credit.example.gov.cn/console/oidc/callback. */
  redirectUri: string;
  /** Plain http to the provider: only for a provider on the same machine (development, tests). */
  allowHttp?: boolean;
}
