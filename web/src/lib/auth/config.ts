import { request } from '#lib/api.ts';

/** How this deployment signs officers in, from `/config.json`. */
export type AuthConfig =
  | { mode: 'local' }
  | { mode: 'oidc'; authority: string; clientId: string; scope: string };

function parseAuthConfig(value: unknown): AuthConfig {
  const auth = (value as { auth?: Record<string, unknown> } | null)?.auth;
  if (auth?.mode === 'local') return { mode: 'local' };
  if (
    auth?.mode === 'oidc' &&
    typeof auth.authority === 'string' &&
    typeof auth.clientId === 'string'
  ) {
    return {
      mode: 'oidc',
      authority: auth.authority.replace(/\/+$/, ''),
      clientId: auth.clientId,
      scope: typeof auth.scope === 'string' && auth.scope ? auth.scope : 'openid',
    };
  }
  throw new Error('config.json: auth is neither { mode: "local" } nor a complete OIDC setting');
}

let cached: Promise<AuthConfig> | undefined;

export function loadAuthConfig(): Promise<AuthConfig> {
  cached ??= request<unknown>('/config.json').then(parseAuthConfig);
  cached.catch(() => {
    cached = undefined;
  });
  return cached;
}
