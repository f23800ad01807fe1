import { meSchema } from '@qingling/shared/api/schemas.ts';
import type { Principal, Role } from '@qingling/shared/auth/principal.ts';
import { getContext, setContext } from 'svelte';
import { RequestError, request } from '#lib/api.ts';
import { text } from '#lib/i18n.ts';
import { m } from '#lib/paraglide/messages.js';
import type { Jurisdiction } from './contract.ts';
import { officeRequest } from './office-api.ts';

/**
 * Who is signed in to the office console, loaded once by the office layout and read by
 * every office page (the layout shows a page only once the person is known).
 */
export class OfficeSession {
  principal = $state.raw<Principal>();
  loading = $state(false);
  error = $state<string>();
  /** Names of jurisdictions by code; until they arrive (or if they cannot), codes are shown. */
  jurisdictions = $state.raw<Record<string, Jurisdiction>>({});

  /** The signed-in person: only read it on a page the layout shows. */
  get person(): Principal {
    if (!this.principal) throw new Error('the office layout shows pages only once signed in');
    return this.principal;
  }

  can(role: Role): boolean {
    return this.principal?.roles.includes(role) ?? false;
  }

  jurisdictionName(code: string): string {
    const known = this.jurisdictions[code];
    return known ? text(known) : code;
  }

  async load(): Promise<void> {
    this.loading = true;
    this.error = undefined;
    void this.loadJurisdictions();
    try {
      this.principal = meSchema.parse(await officeRequest<unknown>('/api/me')).principal;
    } catch (failure) {
      // A 401 has already gone back to sign-in.
      if (!(failure instanceof RequestError && failure.status === 401)) {
        this.error = failure instanceof RequestError ? text(failure.text) : m.error_unexpected();
      }
    } finally {
      this.loading = false;
    }
  }

  /** Forgets the person (on the sign-in page: the next one may be someone else). */
  reset(): void {
    this.principal = undefined;
    this.error = undefined;
  }

  private async loadJurisdictions(): Promise<void> {
    try {
      const answer = await request<{ jurisdictions: Jurisdiction[] }>('/api/jurisdictions');
      this.jurisdictions = Object.fromEntries(answer.jurisdictions.map((j) => [j.code, j]));
    } catch {
      // Codes are still a correct answer.
    }
  }
}

const key = Symbol('office-session');

export const provideOfficeSession = (): OfficeSession => setContext(key, new OfficeSession());

export function officeSession(): OfficeSession {
  const session = getContext<OfficeSession | undefined>(key);
  if (!session) throw new Error('officeSession() is for pages under the office layout');
  return session;
}
