import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
  TooManyRequestsException,
  UserNotFoundException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoUserDirectory } from '@qingling/shared/adapters/aws/cognito-user-directory.ts';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { qinglingClaims } from './pre-token-generation.ts';

const cognito = mockClient(CognitoIdentityProviderClient);
const userPoolId = 'cn-north-1_Example';
const directory = new CognitoUserDirectory({
  userPoolId,
  client: new CognitoIdentityProviderClient({}),
});

const attributes = (values: Record<string, string>) =>
  Object.entries(values).map(([Name, Value]) => ({ Name, Value }));
const officer = attributes({
  sub: 'sub-1',
  name: '李明',
  'custom:roles': 'officer',
  'custom:jurisdictions': 'cq-gecheng',
  'custom:department': 'emergency_management',
});
const missing = () => new UserNotFoundException({ message: 'User does not exist.', $metadata: {} });

beforeEach(() => cognito.reset());

describe('CognitoUserDirectory', () => {
  it('lists the users of a jurisdiction across every page, leaving out others and strangers', async () => {
    cognito
      .on(ListUsersCommand, { PaginationToken: undefined })
      .resolves({
        Users: [
          { Username: 'liming', Attributes: officer, Enabled: true },
          {
            Username: 'other',
            Attributes: attributes({ sub: 's2', 'custom:jurisdictions': 'fj-xiamen-xiangan' }),
          },
          // A user of the pool without Qingling's attributes (an operator): not listed.
          { Username: 'operator', Attributes: attributes({ sub: 's3' }) },
        ],
        PaginationToken: 'page-2',
      })
      .on(ListUsersCommand, { PaginationToken: 'page-2' })
      .resolves({
        Users: [
          {
            Username: 'wangfang',
            Enabled: false,
            Attributes: attributes({
              sub: 's4',
              name: '王芳',
              'custom:roles': 'department_head emperor',
              'custom:jurisdictions': 'cq-gecheng fj-xiamen-xiangan',
            }),
          },
        ],
      });
    const users = await directory.list('cq-gecheng');
    expect(users).toEqual([
      {
        username: 'liming',
        userId: 'sub-1',
        name: '李明',
        roles: ['officer'],
        jurisdictions: ['cq-gecheng'],
        department: 'emergency_management',
        enabled: true,
      },
      {
        username: 'wangfang',
        userId: 's4',
        name: '王芳',
        roles: ['department_head'],
        jurisdictions: ['cq-gecheng', 'fj-xiamen-xiangan'],
        enabled: false,
      },
    ]);
    const calls = cognito.commandCalls(ListUsersCommand);
    expect(calls).toHaveLength(2);
    expect(calls.every((call) => call.args[0].input.UserPoolId === userPoolId)).toBe(true);
  });

  it('creates a user whose attributes the token trigger turns into the roles given', async () => {
    cognito.on(AdminCreateUserCommand).callsFake((input) => ({
      User: { Username: input.Username, Attributes: input.UserAttributes, Enabled: true },
    }));
    const created = await directory.create({
      username: 'linxiao',
      name: '林晓',
      roles: ['officer', 'department_head'],
      jurisdictions: ['cq-gecheng'],
      email: 'linxiao@example.gov.cn',
    });
    expect(created).toMatchObject({ username: 'linxiao', roles: ['officer', 'department_head'] });
    const input = cognito.commandCalls(AdminCreateUserCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      UserPoolId: userPoolId,
      Username: 'linxiao',
      DesiredDeliveryMediums: ['EMAIL'],
    });
    const given = Object.fromEntries(
      (input?.UserAttributes ?? []).map((attribute) => [attribute.Name, attribute.Value]),
    );
    // The same claims the pre-token-generation trigger will put in the next token.
    expect(qinglingClaims(given)).toEqual({
      'qingling:roles': 'officer department_head',
      'qingling:jurisdictions': 'cq-gecheng',
    });
    expect(given.email).toBe('linxiao@example.gov.cn');
  });

  it('says a taken username is taken, and lets other refusals through', async () => {
    cognito
      .on(AdminCreateUserCommand)
      .rejectsOnce(new UsernameExistsException({ message: 'exists', $metadata: {} }))
      .rejectsOnce(new TooManyRequestsException({ message: 'slow down', $metadata: {} }));
    const user = {
      username: 'liming',
      name: '李明',
      roles: ['officer' as const],
      jurisdictions: ['cq-gecheng'],
    };
    await expect(directory.create(user)).resolves.toBe('exists');
    await expect(directory.create(user)).rejects.toThrow('slow down');
  });

  it('changes roles through the attributes, and disables only when asked', async () => {
    cognito
      .on(AdminGetUserCommand)
      .resolves({ Username: 'liming', UserAttributes: officer, Enabled: true });
    await directory.update('liming', { name: '李明', roles: ['department_head'], enabled: true });
    const update = cognito.commandCalls(AdminUpdateUserAttributesCommand)[0]?.args[0].input;
    expect(update).toMatchObject({ UserPoolId: userPoolId, Username: 'liming' });
    expect(update?.UserAttributes).toEqual(
      expect.arrayContaining([
        { Name: 'custom:roles', Value: 'department_head' },
        { Name: 'custom:jurisdictions', Value: 'cq-gecheng' },
      ]),
    );
    expect(cognito.commandCalls(AdminDisableUserCommand)).toHaveLength(0);
    expect(cognito.commandCalls(AdminEnableUserCommand)).toHaveLength(0);

    await directory.update('liming', { name: '李明', roles: ['officer'], enabled: false });
    expect(cognito.commandCalls(AdminDisableUserCommand)[0]?.args[0].input).toEqual({
      UserPoolId: userPoolId,
      Username: 'liming',
    });
  });

  it('enables a disabled user', async () => {
    cognito
      .on(AdminGetUserCommand)
      .resolves({ Username: 'liming', UserAttributes: officer, Enabled: false });
    await directory.update('liming', { name: '李明', roles: ['officer'], enabled: true });
    expect(cognito.commandCalls(AdminEnableUserCommand)).toHaveLength(1);
    expect(cognito.commandCalls(AdminDisableUserCommand)).toHaveLength(0);
  });

  it('finds no user where Cognito has none, and refuses to update one', async () => {
    cognito.on(AdminGetUserCommand).rejects(missing());
    await expect(directory.get('nobody')).resolves.toBeNull();
    await expect(
      directory.update('nobody', { name: 'x', roles: ['officer'], enabled: true }),
    ).rejects.toThrow(/No user/);
    expect(cognito.commandCalls(AdminUpdateUserAttributesCommand)).toHaveLength(0);
  });

  it('lets a failed attribute update through before touching the account state', async () => {
    cognito
      .on(AdminGetUserCommand)
      .resolves({ Username: 'liming', UserAttributes: officer, Enabled: true });
    cognito
      .on(AdminUpdateUserAttributesCommand)
      .rejects(new TooManyRequestsException({ message: 'throttled', $metadata: {} }));
    await expect(
      directory.update('liming', { name: '李明', roles: ['officer'], enabled: false }),
    ).rejects.toThrow('throttled');
    expect(cognito.commandCalls(AdminDisableUserCommand)).toHaveLength(0);
  });
});
