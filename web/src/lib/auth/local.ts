import type { Role } from '@qingling/shared/auth/principal.ts';
import type { Bilingual } from '@qingling/shared/i18n/text.ts';
import { request } from '#lib/api.ts';

/** A seeded user of the embedded cloud's token issuer (demo data). */
export interface DemoUser {
  username: string;
  name: string;
  roles: Role[];
  jurisdictions: string[];
  jurisdictionName: Bilingual;
}

export interface TokenResponse {
  id_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

export async function listDemoUsers(): Promise<DemoUser[]> {
  const { users } = await request<{ users: DemoUser[] }>('/auth/demo-users');
  return users;
}

export function signInAs(username: string): Promise<TokenResponse> {
  return request<TokenResponse>('/auth/token', { body: { username } });
}
