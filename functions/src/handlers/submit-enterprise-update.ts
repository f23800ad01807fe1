import { giveCommand, type HazardCommand } from '@qingling/shared/hazards/commands.ts';
import { enterpriseBudgetSpent } from '@qingling/shared/hazards/hazard.ts';
import { hazardForEnterprise } from '@qingling/shared/hazards/views.ts';
import { enterprisePhotoUrls, hazardByLink } from '../hazards/enterprise-link.ts';
import { hashedPhotos } from '../hazards/evidence-photos.ts';
import { hazardCommandDependencies, refusal } from '../hazards/hazard-access.ts';
import { ApiFailure } from '../http/api-handler.ts';
import { apiHandler } from '../http/enterprise-access-api.ts';

/**
 * POST /api/enterprise/hazard/updates: the enterprise sends its plan, its progress, or the
 * fix done (which puts the hazard up for the officer's verification). Recorded with the
 * enterprise as the actor; a retry with the same key is a no-op.
 */
export const handler = apiHandler('submitEnterpriseUpdate', async ({ body }) => {
  const snapshot = await hazardByLink(body.token);
  // A retry of an update already recorded is answered as before; a new one must fit.
  const text = body.kind === 'plan' ? JSON.stringify(body.plan) : body.note;
  if (
    !snapshot.idempotencyKeys.includes(body.idempotencyKey) &&
    enterpriseBudgetSpent(snapshot.state, text)
  ) {
    throw new ApiFailure('updates_limit');
  }
  // Photos from forms of this hazard's link, hashed as stored (the link's hazard only).
  const photos = await hashedPhotos(snapshot.state.hazardId, body.photoKeys);
  const photoKeys = photos.map((photo) => photo.key);
  const command: HazardCommand =
    body.kind === 'plan'
      ? { type: 'submit_plan', plan: body.plan, photos }
      : body.kind === 'progress'
        ? { type: 'report_progress', note: body.note, photoKeys, photos }
        : { type: 'submit_evidence', note: body.note, photoKeys, photos };
  const outcome = await giveCommand(hazardCommandDependencies(), {
    hazardId: snapshot.state.hazardId,
    command,
    actor: { kind: 'enterprise', id: `enterprise:${snapshot.state.enterprise}` },
    idempotencyKey: body.idempotencyKey,
  }).catch(refusal);
  if (outcome.kind !== 'done')
    throw new ApiFailure(outcome.kind === 'conflict' ? 'conflict' : 'link_invalid');
  return {
    status: outcome.duplicate ? 200 : 201,
    body: await enterprisePhotoUrls(hazardForEnterprise(outcome.snapshot.state)),
  };
});
