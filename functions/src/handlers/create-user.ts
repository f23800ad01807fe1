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
  // A username Cognito had before (deleted there) keeps its log: the addition follows it.
  const log = dependencies.userEdits();
  const earlier = (await log.read([entry.username])).get(entry.username);
  const stored = await log.record(entry.username, earlier?.version ?? 0, {
    at: dependencies.clock().now().toISOString(),
    by: { userId: principal.userId, name: principal.name },
    changed: ['created'],
    roles: entry.roles,
    enabled: entry.enabled,
  });
  if (stored === 'conflict') {
    // Another addition of the same name logged first: the user as they are now.
    throw new ApiFailure('conflict', undefined, directoryUserView(entry, earlier));
  }
  logUserEdit(principal, code, entry.username, stored, ['created']);
  return { status: 201, body: directoryUserView(entry, stored) };
});
