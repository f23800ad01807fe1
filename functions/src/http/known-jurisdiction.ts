import type { Principal } from '@qingling/shared/auth/principal.ts';
import * as dependencies from '../dependencies.ts';
import { ApiFailure } from './api-handler.ts';

export const unknownJurisdictionMessage = {
  zh: '没有这个辖区。',
  en: 'There is no such jurisdiction.',
} as const;

/**
 * Refuses a jurisdiction that is not in the table (400, in both languages): a route that
 * writes under a jurisdiction code checks that it exists, whatever the caller's claims say.
 */
export async function requireKnownJurisdiction(code: string, path = 'jurisdiction'): Promise<void> {
  const jurisdictions = await dependencies.jurisdictions();
  if (!jurisdictions.some((jurisdiction) => jurisdiction.code === code)) {
    throw new ApiFailure('invalid_request', [{ path, message: { ...unknownJurisdictionMessage } }]);
  }
}

/**
 * The jurisdiction a path names ({code}), for a caller who acts in it: 403 outside the
 * caller's own jurisdictions (the check is the server's), 404 for one that does not exist.
 */
export async function ownJurisdictionOfPath(
  principal: Principal | null,
  pathParameters: { code?: string },
): Promise<{ code: string; principal: Principal }> {
  const code = pathParameters.code ?? '';
  if (!principal?.jurisdictions.includes(code)) throw new ApiFailure('forbidden');
  const jurisdictions = await dependencies.jurisdictions();
  if (!jurisdictions.some((jurisdiction) => jurisdiction.code === code)) {
    throw new ApiFailure('not_found');
  }
  return { code, principal };
}
