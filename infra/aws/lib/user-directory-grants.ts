import type { UserPool } from 'aws-cdk-lib/aws-cognito';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';

/** What the users-and-roles handlers may do in the user pool, and nothing else. */
export const userDirectoryActions = [
  'cognito-idp:ListUsers',
  'cognito-idp:AdminGetUser',
  'cognito-idp:AdminCreateUser',
  'cognito-idp:AdminUpdateUserAttributes',
  'cognito-idp:AdminDisableUser',
  'cognito-idp:AdminEnableUser',
] as const;

/**
 * The `userDirectory` resource: the API's functions are made before the user pool (its
 * callback URL needs the site, which needs the API), so the functions that use it are
 * noted here and given the pool's id and a grant scoped to that pool once it exists.
 * Under an external OIDC issuer there is no pool: no variable, no grant, and the handlers
 * answer read-only.
 */
export class UserDirectoryGrants {
  private readonly users: { role: IRole; fn: LambdaFunction }[] = [];
  private bound = false;

  use(role: IRole, fn: LambdaFunction): void {
    if (this.bound)
      throw new Error('The user directory was bound before all its functions were made');
    this.users.push({ role, fn });
  }

  bind(userPool: UserPool | undefined): void {
    this.bound = true;
    if (!userPool) return;
    for (const { role, fn } of this.users) {
      fn.addEnvironment('USER_POOL_ID', userPool.userPoolId);
      userPool.grant(role, ...userDirectoryActions);
    }
  }
}
