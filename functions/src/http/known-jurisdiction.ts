import { dependencies } from '../dependencies.ts';
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
