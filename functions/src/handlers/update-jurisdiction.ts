import * as dependencies from '../dependencies.ts';
import { ApiFailure } from '../http/api-handler.ts';
import { apiHandler } from '../http/core-api.ts';

/** PUT /api/jurisdictions/{code}: an administrator of that jurisdiction edits it. */
export const handler = apiHandler('updateJurisdiction', async ({ body, pathParameters }) => {
  const code = pathParameters.code ?? '';
  const result = await dependencies.referenceData().updateJurisdiction(code, body);
  if (result === 'not_found') throw new ApiFailure('not_found');
  if (result === 'conflict') throw new ApiFailure('conflict');
  return result;
});
