import * as dependencies from '../dependencies.ts';
import { ApiFailure } from './api-handler.ts';

export const unknownJurisdictionMessage = {
  zh: '没有这个辖区。',
  en: 'There is no such jurisdiction.',
} as const;

/** A village or community (村/社区) the jurisdiction does not list: tips and hazards alike. */
export const unknownUnitMessage = {
  zh: '本辖区没有这个村（社区）。',
  en: 'This jurisdiction has no such village or community.',
} as const;

/**
 * The issue with a unit a record names, or null: one of the jurisdiction's own units
 * (the forms offer those; an import's column must name one of them too).
 */
export function unitIssue(
  jurisdiction: { units: readonly string[] } | undefined,
  unit: string | undefined,
  path = 'unit',
): { path: string; message: { zh: string; en: string } } | null {
  if (unit === undefined || !jurisdiction || jurisdiction.units.includes(unit)) return null;
  return { path, message: { ...unknownUnitMessage } };
}

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
