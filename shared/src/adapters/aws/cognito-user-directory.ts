import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  type AttributeType,
  CognitoIdentityProviderClient,
  ListUsersCommand,
  UserNotFoundException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { listClaim } from '../../auth/claims.ts';
import { roles as knownRoles, type Role } from '../../auth/principal.ts';
import type {
  DirectoryEntry,
  NewDirectoryUser,
  UserDirectory,
} from '../../ports/user-directory.ts';

/**
 * The Cognito user pool as the office's user directory. Roles and jurisdictions are the
 * custom attributes the pre-token-generation trigger turns into claims
 * (functions/src/cognito/pre-token-generation.ts), so the next sign-in carries an edit.
 * ListUsers cannot filter on a custom attribute: the pool is paged and filtered here (an
 * office has hundreds of users, not millions).
 */
export class CognitoUserDirectory implements UserDirectory {
  readonly kind = 'cognito' as const;
  private readonly client: CognitoIdentityProviderClient;
  private readonly userPoolId: string;

  constructor(options: { userPoolId: string; client?: CognitoIdentityProviderClient }) {
    this.userPoolId = options.userPoolId;
    this.client = options.client ?? new CognitoIdentityProviderClient({});
  }

  async list(jurisdiction: string): Promise<DirectoryEntry[]> {
    const users: DirectoryEntry[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListUsersCommand({ UserPoolId: this.userPoolId, PaginationToken: token, Limit: 60 }),
      );
      for (const user of page.Users ?? []) {
        const entry = entryOf(user.Username, user.Attributes, user.Enabled);
        if (entry?.jurisdictions.includes(jurisdiction)) users.push(entry);
      }
      token = page.PaginationToken;
    } while (token);
    return users;
  }

  async get(username: string): Promise<DirectoryEntry | null> {
    try {
      const user = await this.client.send(
        new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: username }),
      );
      return entryOf(user.Username, user.UserAttributes, user.Enabled);
    } catch (error) {
      if (error instanceof UserNotFoundException) return null;
      throw error;
    }
  }

  async create(user: NewDirectoryUser): Promise<DirectoryEntry | 'exists'> {
    try {
      const created = await this.client.send(
        new AdminCreateUserCommand({
          UserPoolId: this.userPoolId,
          Username: user.username,
          // Cognito e-mails the temporary password; without an address the administrator
          // hands it over (RESEND later once an address is set).
          DesiredDeliveryMediums: user.email ? ['EMAIL'] : [],
          UserAttributes: [
            { Name: 'name', Value: user.name },
            ...(user.email
              ? [
                  { Name: 'email', Value: user.email },
                  { Name: 'email_verified', Value: 'true' },
                ]
              : []),
            ...roleAttributes(user.roles, user.jurisdictions),
          ],
        }),
      );
      const entry = entryOf(
        created.User?.Username,
        created.User?.Attributes,
        created.User?.Enabled,
      );
      if (!entry) throw new Error('Cognito created a user without Qingling attributes');
      return entry;
    } catch (error) {
      if (error instanceof UsernameExistsException) return 'exists';
      throw error;
    }
  }

  async update(
    username: string,
    change: { name: string; roles: Role[]; enabled: boolean },
  ): Promise<void> {
    const current = await this.get(username);
    if (!current) throw new Error(`No user ${username} in the pool`);
    await this.client.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: this.userPoolId,
        Username: username,
        UserAttributes: [
          { Name: 'name', Value: change.name },
          ...roleAttributes(change.roles, current.jurisdictions),
        ],
      }),
    );
    if (change.enabled !== current.enabled) {
      const input = { UserPoolId: this.userPoolId, Username: username };
      await this.client.send(
        change.enabled ? new AdminEnableUserCommand(input) : new AdminDisableUserCommand(input),
      );
    }
  }
}

function roleAttributes(roles: readonly Role[], jurisdictions: readonly string[]): AttributeType[] {
  return [
    { Name: 'custom:roles', Value: roles.join(' ') },
    { Name: 'custom:jurisdictions', Value: jurisdictions.join(' ') },
  ];
}

/** A pool user as a directory entry; null for one without Qingling's attributes (not ours). */
function entryOf(
  username: string | undefined,
  attributes: AttributeType[] | undefined,
  enabled: boolean | undefined,
): DirectoryEntry | null {
  const value = (name: string) => attributes?.find((attribute) => attribute.Name === name)?.Value;
  const sub = value('sub');
  const jurisdictions = listClaim(value('custom:jurisdictions'));
  if (!username || !jurisdictions.length) return null;
  const department = value('custom:department');
  return {
    username,
    userId: sub ?? username,
    name: value('name') || username,
    roles: listClaim(value('custom:roles')).filter((role): role is Role =>
      (knownRoles as readonly string[]).includes(role),
    ),
    jurisdictions,
    ...(department ? { department } : {}),
    enabled: enabled ?? true,
  };
}
