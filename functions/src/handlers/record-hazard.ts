import { recordHazard } from '@qingling/shared/hazards/commands.ts';
import { hazardIdFor } from '@qingling/shared/hazards/ids.ts';
import { hazardCommandDependencies, hazardPage, refusal } from '../hazards/hazard-access.ts';
import { ApiFailure, apiHandler } from '../http/api-handler.ts';
import { requireKnownJurisdiction } from '../http/known-jurisdiction.ts';
import { personOf } from '../http/principal-actor.ts';
import { tipForJurisdictionsOf } from '../tips/tip-access.ts';

/** POST /api/office/hazards: an officer records a hazard from any channel; a retry is a no-op. */
export const handler = apiHandler('recordHazard', async ({ body, principal }) => {
  if (!principal?.jurisdictions.includes(body.jurisdiction)) throw new ApiFailure('forbidden');
  await requireKnownJurisdiction(body.jurisdiction);
  // A hazard from a tip names a tip of the same jurisdiction (404 for any other, as unknown).
  if (body.tipId) await tipForJurisdictionsOf(body.tipId, [body.jurisdiction]);
  const { idempotencyKey, jurisdiction, ...facts } = body;
  const hazardId = await hazardIdFor(jurisdiction, idempotencyKey);
  const { snapshot, duplicate } = await recordHazard(hazardCommandDependencies(), {
    facts: { hazardId, jurisdiction, ...facts },
    actor: personOf(principal),
  }).catch(refusal);
  return { status: duplicate ? 200 : 201, body: await hazardPage(snapshot.state) };
});
