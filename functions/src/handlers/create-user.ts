import { directoryUserView } from '@qingling/shared/users/users.ts';
import * as dependencies from '../dependencies.ts';
import { ApiFailure } from '../http/api-handler.ts';
import { knownJurisdictionOfPath } from '../http/known-jurisdiction.ts';
import { apiHandler } from '../http/user-api.ts';
import { logUserEdit, writableDirectory } from '../users/user-access.ts';

/**
 * POST /api/admin/jurisdictions/{code}/users: an administrator of that jurisdiction adds an
 * office user with roles there. The user signs in with them at once (Cognito sends the
 * temporary password); the addition is the user's first logged version.
 */
export const handler = apiHandler('createUser', async ({ body, principal, pathParameters }) => {
  const code = await knownJurisdictionOfPath(pathParameters);
  const directory = writableDirectory();
  const entry = await directory.create({
    username: body.username,
    name: body.name,
    roles: body.roles,
    jurisdictions: [code],
    ...(body.email ? { email: body.email } : {}),
  });
  if (entry === 'exists') {
    throw new ApiFailure('username_taken', [
      {
        path: 'username',
        message: {
          zh: '该用户名已被使用，请换一个。',
          en: 'This username is taken; choose another.',
        },
      },
    ]);
  }
  const stored = await dependencies.userEdits().record(entry.username, 0, {
    at: dependencies.clock().now().toISOString(),
    by: { userId: principal.userId, name: principal.name },
    changed: ['created'],
    roles: entry.roles,
    enabled: entry.enabled,
  });
  // A log left by an earlier user of the same name (Cognito deleted them): keep it, say so.
  const edits = stored === 'conflict' ? undefined : stored;
  if (edits) logUserEdit(principal, code, entry.username, edits, ['created']);
  return { status: 201, body: directoryUserView(entry, edits) };
});
