import { enterpriseProjection, enterpriseStream } from '@qingling/shared/enterprises/enterprise.ts';
import { commandRoles, giveCommand } from '@qingling/shared/hazards/commands.ts';
import { listIfExposed } from '@qingling/shared/hazards/exposure.ts';
import * as dependencies from '../dependencies.ts';
import { hashedPhotos } from '../hazards/evidence-photos.ts';
import { answer, hazardCommandDependencies, refusal } from '../hazards/hazard-access.ts';
import { ApiFailure } from '../http/api-handler.ts';
import { apiHandler } from '../http/hazard-api.ts';
import { personOf } from '../http/principal-actor.ts';

/**
 * POST /api/office/hazards/{hazardId}/commands: a decision on a hazard, checked against the
 * caller's role (an extension is approved by the department head) and the revision the
 * caller saw; written to the record, then the lifecycle is woken.
 */
export const handler = apiHandler('giveHazardCommand', async ({ body, principal, record }) => {
  const hazardId = record.state.hazardId;
  const allowed = commandRoles[body.command.type];
  if (!principal.roles.some((role) => (allowed as readonly string[]).includes(role))) {
    throw new ApiFailure('forbidden');
  }
  // Evidence photos are the hazard's own (a key under another hazard is refused), and go
  // on the event with the hash of their stored copy.
  const photos =
    'photoKeys' in body.command
      ? await hashedPhotos(hazardId, body.command.photoKeys, 'command.photoKeys')
      : [];
  const command = photos.length > 0 ? { ...body.command, photos } : body.command;
  // The public exposure page names the enterprise as registered now (no register there).
  const enterprise =
    body.command.type === 'approve_exposure' && record.state.enterprise
      ? await dependencies
          .eventStore()
          .load(
            enterpriseStream(record.state.jurisdiction, record.state.enterprise),
            enterpriseProjection,
          )
      : null;
  const outcome = await giveCommand(hazardCommandDependencies(record), {
    hazardId,
    command,
    actor: personOf(principal),
    roles: principal.roles,
    idempotencyKey: body.idempotencyKey,
    expectedRevision: body.expectedRevision,
    ...(enterprise ? { enterpriseName: enterprise.state.name } : {}),
  }).catch(refusal);
  // Listed after the log says so; a retried request (same key) lists it again if this failed.
  if (outcome.kind === 'done')
    await listIfExposed(dependencies.exposureList(), outcome.snapshot.state);
  return answer(outcome);
});
