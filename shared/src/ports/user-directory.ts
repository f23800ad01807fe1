import type { Role } from '../auth/principal.ts';

/**
 * Where office users live and what their tokens will say: Cognito on AWS, a file on the
 * embedded cloud, or an external OIDC issuer that only the organisation edits.
 */
export type DirectoryKind = 'local' | 'cognito' | 'external';

/** A user as the directory holds them; roles and jurisdictions are what the next token carries. */
export interface DirectoryEntry {
  username: string;
  /** The token's `sub`. */
  userId: string;
  name: string;
  roles: Role[];
  jurisdictions: string[];
  department?: string;
  enabled: boolean;
}

export interface NewDirectoryUser {
  username: string;
  name: string;
  roles: Role[];
  jurisdictions: string[];
  email?: string;
}

export interface UserDirectory {
  readonly kind: DirectoryKind;
  /** The users with `jurisdiction` among theirs. */
  list(jurisdiction: string): Promise<DirectoryEntry[]>;
  get(username: string): Promise<DirectoryEntry | null>;
  /** 'exists' when the username is taken (in any jurisdiction). */
  create(user: NewDirectoryUser): Promise<DirectoryEntry | 'exists'>;
  update(
    username: string,
    change: { name: string; roles: Role[]; enabled: boolean },
  ): Promise<void>;
}

/** An external issuer's directory: nothing to list or change here. */
export const externalDirectory: UserDirectory = {
  kind: 'external',
  list: async () => [],
  get: async () => null,
  create: async () => {
    throw new Error('The external identity provider keeps its users');
  },
  update: async () => {
    throw new Error('The external identity provider keeps its users');
  },
};
