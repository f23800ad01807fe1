import { randomUUID } from 'node:crypto';
import { jsonError, ServiceError, type ServiceRegistration } from '../aws-endpoint.ts';
import type { DeployedTemplate } from '../template.ts';

/**
 * Cognito user pools' administrative API, as far as the users-and-roles handlers use it
 * (ListUsers, AdminGetUser, AdminCreateUser, AdminUpdateUserAttributes, AdminDisableUser,
 * AdminEnableUser), for the template's pools. Every call is held to the caller's role on
 * the pool's ARN, as IAM does; a custom attribute the pool does not declare is refused, as
 * Cognito refuses it.
 */

type Json = Record<string, unknown>;
type Attribute = { Name: string; Value: string };

interface PoolUser {
  username: string;
  attributes: Map<string, string>;
  enabled: boolean;
  status: string;
}

interface Pool {
  id: string;
  arn: string;
  customAttributes: Set<string>;
  users: Map<string, PoolUser>;
}

const operations = new Set([
  'ListUsers',
  'AdminGetUser',
  'AdminCreateUser',
  'AdminUpdateUserAttributes',
  'AdminDisableUser',
  'AdminEnableUser',
]);

export class CognitoService {
  private readonly pools = new Map<string, Pool>();

  constructor(template: DeployedTemplate) {
    for (const { logicalId } of template.ofType('AWS::Cognito::UserPool')) {
      const id = template.ref(logicalId);
      const schema = template.property<{ Name: string }[] | undefined>(logicalId, 'Schema') ?? [];
      this.pools.set(id, {
        id,
        arn: template.getAtt(logicalId, 'Arn'),
        customAttributes: new Set(schema.map((attribute) => `custom:${attribute.Name}`)),
        users: new Map(),
      });
    }
  }

  /** A pool's user as stored (for a test to look at), or undefined. */
  user(poolId: string, username: string): PoolUser | undefined {
    return this.pools.get(poolId)?.users.get(username);
  }

  registration(): ServiceRegistration {
    const error = jsonError('application/x-amz-json-1.1');
    return {
      error,
      denied: (message) => error(new ServiceError('AccessDeniedException', message)),
      handle: async (request, caller) => {
        const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
        if (!operations.has(operation)) {
          throw new ServiceError(
            'UnsupportedOperation',
            `The harness does not emulate ${operation}`,
          );
        }
        const body = JSON.parse(request.body.toString('utf8') || '{}') as Json;
        const pool = this.pools.get(String(body.UserPoolId));
        if (!pool) throw new ServiceError('ResourceNotFoundException', 'User pool does not exist.');
        caller.authorize({ action: `cognito-idp:${operation}`, resource: pool.arn });
        return {
          status: 200,
          headers: { 'content-type': 'application/x-amz-json-1.1' },
          body: JSON.stringify(this.act(pool, operation, body)),
        };
      },
    };
  }

  private act(pool: Pool, operation: string, body: Json): Json {
    if (operation === 'ListUsers') {
      // One user a page, so that a caller that ignores PaginationToken misses users.
      const users = [...pool.users.values()];
      const start = Number(body.PaginationToken ?? 0);
      const next = start + 1;
      return {
        Users: users.slice(start, next).map(listed),
        ...(next < users.length ? { PaginationToken: String(next) } : {}),
      };
    }
    const username = String(body.Username);
    if (operation === 'AdminCreateUser') {
      if (pool.users.has(username)) {
        throw new ServiceError('UsernameExistsException', 'User account already exists.');
      }
      const user: PoolUser = {
        username,
        attributes: new Map([['sub', randomUUID()]]),
        enabled: true,
        status: 'FORCE_CHANGE_PASSWORD',
      };
      setAttributes(pool, user, body.UserAttributes);
      pool.users.set(username, user);
      return { User: listed(user) };
    }
    const user = pool.users.get(username);
    if (!user) throw new ServiceError('UserNotFoundException', 'User does not exist.');
    switch (operation) {
      case 'AdminGetUser':
        return {
          Username: user.username,
          UserAttributes: attributesOf(user),
          Enabled: user.enabled,
        };
      case 'AdminUpdateUserAttributes':
        setAttributes(pool, user, body.UserAttributes);
        return {};
      case 'AdminDisableUser':
        user.enabled = false;
        return {};
      default:
        user.enabled = true;
        return {};
    }
  }
}

function setAttributes(pool: Pool, user: PoolUser, given: unknown): void {
  for (const { Name, Value } of (given ?? []) as Attribute[]) {
    if (Name.startsWith('custom:') && !pool.customAttributes.has(Name)) {
      throw new ServiceError(
        'InvalidParameterException',
        `Attribute does not exist in the schema: ${Name}`,
      );
    }
    user.attributes.set(Name, Value);
  }
}

const attributesOf = (user: PoolUser): Attribute[] =>
  [...user.attributes].map(([Name, Value]) => ({ Name, Value }));

const listed = (user: PoolUser) => ({
  Username: user.username,
  Attributes: attributesOf(user),
  Enabled: user.enabled,
  UserStatus: user.status,
});
