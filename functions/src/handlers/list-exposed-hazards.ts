import { exposedHazards } from '@qingling/shared/hazards/exposure.ts';
import * as dependencies from '../dependencies.ts';
import { apiHandler } from '../http/exposure-api.ts';

/** GET /api/public/exposure: a jurisdiction's exposed hazards, a page at a time (no sign-in). */
export const handler = apiHandler('listExposedHazards', async ({ query }) =>
  exposedHazards(
    { list: dependencies.exposureList(), events: dependencies.eventStore() },
    {
      jurisdiction: query.jurisdiction,
      limit: 20,
      ...(query.cursor ? { cursor: query.cursor } : {}),
    },
  ),
);
