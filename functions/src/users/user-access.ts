import type { Principal } from '@qingling/shared/auth/principal.ts';
import type { DirectoryEntry } from '@qingling/shared/ports/user-directory.ts';
import {
  type DirectoryUser,
  directoryUserView,
  type UserChange,
  type UserEdits,
} from '@qingling/shared/users/users.ts';
import * as dependencies from '../dependencies.ts';
import { ApiFailure } from '../http/api-handler.ts';
import { logger } from '../observability/logger.ts';

/** The directory, refusing writes when it is an external issuer's (403, both languages). */
export function writableDirectory() {
  const directory = dependencies.userDirectory();
  if (directory.kind === 'external') throw new ApiFailure('directory_read_only');
  return directory;
}

/** A user of the jurisdiction in the path, with their version and log; 404 if not of it. */
export async function userOfJurisdiction(
  code: string,
  username: string,
): Promise<{ entry: DirectoryEntry; view: DirectoryUser }> {
  const entry = await writableDirectory().get(username);
  if (!entry?.jurisdictions.includes(code)) throw new ApiFailure('not_found');
  const edits = (await dependencies.userEdits().read([username])).get(username);
  return { entry, view: directoryUserView(entry, edits) };
}

/**
 * The audit line of an edit: who, when, whose account and what changed (the roles and
 * state it left; never an e-mail address). The table's log keeps the same.
 */
export function logUserEdit(
  principal: Principal,
  jurisdiction: string,
  username: string,
  stored: UserEdits,
  changed: readonly UserChange[],
): void {
  const edit = stored.edits.at(-1);
  logger.info('User edited', {
    jurisdiction,
    username,
    version: stored.version,
    at: stored.updatedAt,
    by: principal.userId,
    changed,
    roles: edit?.roles ?? [],
    enabled: edit?.enabled ?? true,
  });
}
