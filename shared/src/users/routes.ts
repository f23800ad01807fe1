import type { RouteDefinition } from '../api/route-definition.ts';
import { jurisdictionCodeParameters } from '../api/schemas.ts';
import {
  createUserSchema,
  directoryUserSchema,
  updateUserSchema,
  userListSchema,
  userPathParameters,
} from './users.ts';

const exampleUser = {
  username: 'cq-gecheng.officer3',
  name: '林晓',
  roles: ['officer'],
  jurisdictions: ['cq-gecheng'],
  enabled: true,
  version: 1,
  updatedAt: '2026-12-04T08:00:00.000Z',
  updatedBy: '金鑫',
  edits: [
    {
      version: 1,
      at: '2026-12-04T08:00:00.000Z',
      by: '金鑫',
      changed: ['created'],
      roles: ['officer'],
      enabled: true,
    },
  ],
} as const;

/** Administrators of the jurisdiction the path names, and no one else. */
const administratorOfPath = {
  kind: 'signedIn',
  roles: ['administrator'],
  scope: { in: 'path', field: 'code' },
} as const;

/** The jurisdiction must exist; each user's version and edit log live under USEREDITS. */
const userTable = { read: ['JURISDICTION', 'USEREDITS'] } as const;

/**
 * Users and roles (RULES.md, "Who is who"): an administrator lists, adds and edits the
 * office users of their own jurisdiction, in the directory that signs them in (Cognito, or
 * the embedded cloud's); each edit names the version it replaces and is logged.
 */
export const userRoutes = [
  {
    operationId: 'listUsers',
    method: 'GET',
    path: '/api/admin/jurisdictions/{code}/users',
    handler: 'list-users',
    table: userTable,
    uses: ['userDirectory'],
    access: administratorOfPath,
    summary: {
      zh: '本辖区的用户与角色（是否可编辑取决于登录方式）',
      en: "A jurisdiction's users and roles (editable unless sign-in is an external issuer's)",
    },
    pathParameters: { schema: jurisdictionCodeParameters, example: { code: 'cq-gecheng' } },
    response: {
      status: 200,
      body: userListSchema,
      example: {
        jurisdiction: 'cq-gecheng',
        directory: 'cognito',
        editable: true,
        users: [exampleUser],
      },
    },
  },
  {
    operationId: 'createUser',
    method: 'POST',
    path: '/api/admin/jurisdictions/{code}/users',
    handler: 'create-user',
    table: { ...userTable, write: ['USEREDITS'] },
    uses: ['userDirectory'],
    access: administratorOfPath,
    summary: { zh: '在本辖区添加用户并分配角色', en: 'Add a user with roles to a jurisdiction' },
    pathParameters: { schema: jurisdictionCodeParameters, example: { code: 'cq-gecheng' } },
    request: {
      body: createUserSchema,
      example: {
        username: 'cq-gecheng.officer3',
        name: '林晓',
        roles: ['officer'],
        email: 'linxiao@example.gov.cn',
      },
    },
    response: { status: 201, body: directoryUserSchema, example: exampleUser },
  },
  {
    operationId: 'updateUser',
    method: 'PUT',
    path: '/api/admin/jurisdictions/{code}/users/{username}',
    handler: 'update-user',
    table: { ...userTable, write: ['USEREDITS'] },
    uses: ['userDirectory'],
    access: administratorOfPath,
    summary: {
      zh: '修改本辖区用户的姓名、角色，或停用、启用账号',
      en: "Change a user's name and roles, or disable or enable the account",
    },
    pathParameters: {
      schema: userPathParameters,
      example: { code: 'cq-gecheng', username: 'cq-gecheng.officer3' },
    },
    request: {
      body: updateUserSchema,
      example: {
        name: '林晓',
        roles: ['officer', 'department_head'],
        enabled: true,
        expectedVersion: 1,
      },
    },
    response: {
      status: 200,
      body: directoryUserSchema,
      example: { ...exampleUser, roles: ['officer', 'department_head'], version: 2 },
    },
  },
] as const satisfies readonly RouteDefinition[];
