import { changesOf, directoryUserView, refusalOfEdit } from '@qingling/shared/users/users.ts';
import * as dependencies from '../dependencies.ts';
import { ApiFailure } from '../http/api-handler.ts';
import { knownJurisdictionOfPath } from '../http/known-jurisdiction.ts';
import { apiHandler } from '../http/user-api.ts';
import { logUserEdit, userOfJurisdiction, writableDirectory } from '../users/user-access.ts';

/**
 * PUT /api/admin/jurisdictions/{code}/users/{username}: an administrator changes a user's
 * name and roles, or disables or enables the account. Only users all of whose
 * jurisdictions are the caller's; never the caller's own administrator role or account (no
 * lock-out). The edit names the version it replaces (409 with the user as they are now)
 * and is logged before the directory changes, so no change goes unlogged.
 */
export const handler = apiHandler('updateUser', async ({ body, principal, pathParameters }) => {
  const code = await knownJurisdictionOfPath(pathParameters);
  const username = pathParameters.username ?? '';
  const { entry, view } = await userOfJurisdiction(code, username);
  const refusal = refusalOfEdit(principal, entry, body);
  if (refusal?.kind === 'forbidden') throw new ApiFailure('forbidden');
  if (refusal) {
    throw new ApiFailure('rule_violated', [{ path: refusal.path, message: refusal.message }]);
  }
  if (view.version !== body.expectedVersion) throw new ApiFailure('conflict', undefined, view);
  const after = { name: body.name, roles: body.roles, enabled: body.enabled };
  const changed = changesOf(entry, after);
  if (!changed.length) return view;
  const stored = await dependencies.userEdits().record(username, body.expectedVersion, {
    at: dependencies.clock().now().toISOString(),
    by: { userId: principal.userId, name: principal.name },
    changed,
    roles: after.roles,
    enabled: after.enabled,
  });
  if (stored === 'conflict') {
    throw new ApiFailure('conflict', undefined, (await userOfJurisdiction(code, username)).view);
  }
  await writableDirectory().update(username, after);
  logUserEdit(principal, code, username, stored, changed);
  return directoryUserView({ ...entry, ...after }, stored);
});
