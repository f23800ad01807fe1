import { cstDate } from '@qingling/shared/calendar/calendar.ts';
import { recordHazard } from '@qingling/shared/hazards/commands.ts';
import { hazardStream } from '@qingling/shared/hazards/hazard.ts';
import { hazardIdFor, hazardIdForTip } from '@qingling/shared/hazards/ids.ts';
import { recordHazardRoute } from '@qingling/shared/hazards/routes.ts';
import { foundOnAfterToday } from '@qingling/shared/hazards/schemas.ts';
import * as dependencies from '../dependencies.ts';
import { hashedPhotos } from '../hazards/evidence-photos.ts';
import { hazardCommandDependencies, hazardPage, refusal } from '../hazards/hazard-access.ts';
import { ApiFailure, apiHandlerFor } from '../http/api-handler.ts';
import { requireKnownJurisdiction, unitIssue } from '../http/known-jurisdiction.ts';
import { personOf } from '../http/principal-actor.ts';
import { tipForJurisdictionsOf } from '../tips/tip-access.ts';

/** POST /api/office/hazards: an officer records a hazard from any channel; a retry is a no-op. */
export const handler = apiHandlerFor([recordHazardRoute])(
  'recordHazard',
  async ({ body, principal }) => {
    await requireKnownJurisdiction(body.jurisdiction);
    // A hazard from a tip names a tip of the same jurisdiction (404 for any other, as unknown).
    const tip = body.tipId
      ? await tipForJurisdictionsOf(body.tipId, [body.jurisdiction])
      : undefined;
    const { idempotencyKey, jurisdiction, photoKeys, ...asked } = body;
    // The village or community (村/社区): as asked, else the tip's (it named one of these).
    const unit = asked.unit ?? tip?.state.unit;
    const facts = { ...asked, ...(unit ? { unit } : {}) };
    const place = (await dependencies.jurisdictions()).find((each) => each.code === jurisdiction);
    const unknownUnit = asked.unit !== undefined ? unitIssue(place, asked.unit) : null;
    if (unknownUnit) throw new ApiFailure('invalid_request', [unknownUnit]);
    if (facts.foundOn && facts.foundOn > cstDate(dependencies.clock().now())) {
      throw new ApiFailure('invalid_request', [{ path: 'foundOn', message: foundOnAfterToday }]);
    }
    // A tip becomes at most one hazard: its id comes from the tip, not from the request, so
    // every attempt (any key, however concurrent) collides on one log whose first append is
    // conditional on it being empty. No claim on the tip's log is needed, and no crash
    // between a claim and the hazard can leave a tip claimed by a hazard that never was.
    const hazardId = body.tipId
      ? await hazardIdForTip(jurisdiction, body.tipId)
      : await hazardIdFor(jurisdiction, idempotencyKey);
    // Photos were uploaded with forms for this very id (requestHazardPhotoUploads).
    const photos = await hashedPhotos(hazardId, photoKeys);
    const { snapshot, duplicate } = await recordHazard(hazardCommandDependencies(), {
      facts: { hazardId, jurisdiction, ...facts, ...(photos.length > 0 ? { photos } : {}) },
      actor: personOf(principal),
      idempotencyKey,
    }).catch(refusal);
    // The request that made the hazard, retried, is answered as before; any other is told
    // which hazard the tip already became, and wrote nothing.
    if (duplicate && body.tipId && !(await recordedWith(hazardId, idempotencyKey))) {
      throw new ApiFailure('tip_already_recorded', undefined, { hazardId });
    }
    return { status: duplicate ? 200 : 201, body: await hazardPage(snapshot.state) };
  },
);

/** Whether the hazard's first event was written by the request with this key. */
async function recordedWith(hazardId: string, idempotencyKey: string): Promise<boolean> {
  const [first] = await dependencies.eventStore().read(hazardStream(hazardId));
  return first?.idempotencyKey === idempotencyKey;
}
