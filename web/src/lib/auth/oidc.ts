/**
 * OpenID Connect sign-in for officers: authorization code flow with PKCE (RFC 7636),
 * endpoints discovered from the issuer. Works with Cognito and with any OIDC issuer
 * (for example a government single sign-on). The app is a public client: no secret.
 */
import type { AuthConfig } from '#lib/auth/config.ts';
import type { TokenResponse } from '#lib/auth/local.ts';

type OidcConfig = Extract<AuthConfig, { mode: 'oidc' }>;

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
}

/** What the browser remembers between leaving for the issuer and coming back. */
interface PendingSignIn {
  state: string;
  nonce: string;
  verifier: string;
  /** Localized path to land on after signing in, such as `/en/office`. */
  returnTo: string;
}

const pendingKey = 'qingling:oidc-pending';

/** One callback path for every language, so only one redirect URI is registered. */
export const callbackPath = '/office/callback';

const redirectUri = () => new URL(callbackPath, location.origin).href;

async function discover(authority: string): Promise<Discovery> {
  const response = await fetch(`${authority}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`OIDC discovery failed: HTTP ${response.status}`);
  const discovery = (await response.json()) as Partial<Discovery>;
  if (!discovery.authorization_endpoint || !discovery.token_endpoint) {
    throw new Error('OIDC discovery: authorization or token endpoint missing');
  }
  return discovery as Discovery;
}

function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const randomString = (bytes = 32) => base64Url(crypto.getRandomValues(new Uint8Array(bytes)));

async function challengeFor(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

/** Leaves for the issuer's sign-in page. */
export async function beginSignIn(config: OidcConfig, returnTo: string): Promise<void> {
  const { authorization_endpoint } = await discover(config.authority);
  const pending: PendingSignIn = {
    state: randomString(),
    nonce: randomString(),
    verifier: randomString(48),
    returnTo,
  };
  sessionStorage.setItem(pendingKey, JSON.stringify(pending));
  const url = new URL(authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: redirectUri(),
    scope: config.scope,
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: await challengeFor(pending.verifier),
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url);
}

/** Why a callback could not complete: `expired` asks the person to start again. */
export class SignInError extends Error {
  readonly reason: 'expired' | 'denied' | 'failed';

  constructor(reason: 'expired' | 'denied' | 'failed', detail: string) {
    super(detail);
    this.name = 'SignInError';
    this.reason = reason;
  }
}

function claimsOf(jwt: string): Record<string, unknown> {
  const payload = jwt.split('.')[1] ?? '';
  const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = Uint8Array.from(json, (char) => char.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
}

/** Exchanges the code the issuer sent back for tokens; returns them and where to go next. */
export async function completeSignIn(
  config: OidcConfig,
  url: URL,
): Promise<{ token: TokenResponse; returnTo: string }> {
  const pending = JSON.parse(sessionStorage.getItem(pendingKey) ?? 'null') as PendingSignIn | null;
  sessionStorage.removeItem(pendingKey);
  const error = url.searchParams.get('error');
  if (error) {
    throw new SignInError('denied', url.searchParams.get('error_description') ?? error);
  }
  const code = url.searchParams.get('code');
  if (!pending || !code || url.searchParams.get('state') !== pending.state) {
    throw new SignInError('expired', 'no pending sign-in matches this callback');
  }
  const { token_endpoint } = await discover(config.authority);
  const response = await fetch(token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri(),
      client_id: config.clientId,
      code_verifier: pending.verifier,
    }),
  });
  const token = (await response.json().catch(() => null)) as Partial<TokenResponse> | null;
  if (!response.ok || !token?.id_token) {
    throw new SignInError('failed', `token endpoint answered HTTP ${response.status}`);
  }
  // The API verifies the signature; here we only check that this token answers our request.
  if (claimsOf(token.id_token).nonce !== pending.nonce) {
    throw new SignInError('expired', 'the ID token does not carry the nonce of this sign-in');
  }
  return {
    token: { id_token: token.id_token, token_type: 'Bearer', expires_in: token.expires_in ?? 3600 },
    returnTo: pending.returnTo,
  };
}
