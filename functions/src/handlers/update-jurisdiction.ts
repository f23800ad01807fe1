import * as dependencies from '../dependencies.ts';
import { ApiFailure } from '../http/api-handler.ts';
import { apiHandler } from '../http/core-api.ts';

/** PUT /api/jurisdictions/{code}: an administrator of that jurisdiction edits it. */
export const handler = apiHandler('updateJurisdiction', async ({ body, pathParameters }) => {
  const code = pathParameters.code ?? '';
  const result = await dependencies.referenceData().updateJurisdiction(code, body);
  if (result === 'not_found') throw new ApiFailure('not_found');
  // The record as it is now: the page shows it and says someone saved first.
  if ('conflict' in result) throw new ApiFailure('conflict', undefined, result.conflict);
  return result;
});
