import { directoryUserView, userListView } from '@qingling/shared/users/users.ts';
import * as dependencies from '../dependencies.ts';
import { knownJurisdictionOfPath } from '../http/known-jurisdiction.ts';
import { apiHandler } from '../http/user-api.ts';

/**
 * GET /api/admin/jurisdictions/{code}/users: the office users of one of the caller's
 * jurisdictions, from the directory that signs them in, each with its version and edit log.
 * Under an external OIDC issuer the list is empty and says why it cannot be edited.
 */
export const handler = apiHandler('listUsers', async ({ pathParameters }) => {
  const code = await knownJurisdictionOfPath(pathParameters);
  const directory = dependencies.userDirectory();
  const entries = await directory.list(code);
  const edits = await dependencies.userEdits().read(entries.map((entry) => entry.username));
  return userListView(
    code,
    directory.kind,
    entries.map((entry) => directoryUserView(entry, edits.get(entry.username))),
  );
});
