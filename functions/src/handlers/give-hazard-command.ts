import { commandRoles, giveCommand } from '@qingling/shared/hazards/commands.ts';
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
  // Evidence photos are the hazard's own: a key under another hazard is refused.
  if ('photoKeys' in body.command) {
    const own = `evidence/${hazardId}/`;
    if (body.command.photoKeys.some((key) => !key.startsWith(own))) {
      throw new ApiFailure('invalid_request', [
        {
          path: 'command.photoKeys',
          message: { zh: '照片不属于这条隐患。', en: 'A photo does not belong to this hazard.' },
        },
      ]);
    }
  }
  const allowed = commandRoles[body.command.type];
  if (!principal.roles.some((role) => (allowed as readonly string[]).includes(role))) {
    throw new ApiFailure('forbidden');
  }
  const outcome = await giveCommand(hazardCommandDependencies(), {
    hazardId,
    command: body.command,
    actor: personOf(principal),
    roles: principal.roles,
    idempotencyKey: body.idempotencyKey,
    expectedRevision: body.expectedRevision,
  }).catch(refusal);
  return answer(outcome);
});
