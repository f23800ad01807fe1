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
 * The jurisdiction a path names ({code}), which the route's scope has already held to the
 * caller's own: 404 for one that does not exist.
 */
export async function knownJurisdictionOfPath(pathParameters: { code?: string }): Promise<string> {
  const code = pathParameters.code ?? '';
  const jurisdictions = await dependencies.jurisdictions();
  if (!jurisdictions.some((jurisdiction) => jurisdiction.code === code)) {
    throw new ApiFailure('not_found');
  }
  return code;
}
