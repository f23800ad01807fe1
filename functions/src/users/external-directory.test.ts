import { externalDirectory } from '@qingling/shared/ports/user-directory.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiEvent, demoPrincipal } from '../../../tests/support/api-events.ts';
import { resetDependencies, useDependencies } from '../dependencies.ts';
import { handler as createUser } from '../handlers/create-user.ts';
import { handler as listUsers } from '../handlers/list-users.ts';
import { handler as updateUser } from '../handlers/update-user.ts';

// Under an external OIDC issuer (no user pool: USER_POOL_ID unset) the organisation's
// identity provider keeps users and roles: the list says so in both languages and every
// write is refused, touching nothing.

const parse = (result: { body?: string }) => JSON.parse(result.body ?? 'null');
const written: string[] = [];

beforeEach(() => {
  delete process.env.USER_POOL_ID;
  written.length = 0;
  useDependencies({
    userDirectory: () => externalDirectory,
    jurisdictions: async () => [
      {
        code: 'cq-gecheng',
        zh: '葛城街道',
        en: 'Gecheng',
        level: 'subdistrict',
        parent: '重庆市',
        units: [],
      },
    ],
    userEdits: () =>
      ({
        read: async () => new Map(),
        record: async (username: string) => {
          written.push(username);
          return 'conflict';
        },
      }) as never,
  });
});
afterEach(() => resetDependencies());

const path = '/api/admin/jurisdictions/cq-gecheng/users';

describe('users and roles under an external OIDC issuer', () => {
  it('lists nobody, read-only, and says why in Chinese and English', async () => {
    const result = await listUsers(
      apiEvent({ path, pathParameters: { code: 'cq-gecheng' }, principal: demoPrincipal() }),
    );
    expect(result.statusCode).toBe(200);
    const body = parse(result);
    expect(body).toMatchObject({ directory: 'external', editable: false, users: [] });
    expect(body.readOnlyReason.zh).toContain('外部身份提供方');
    expect(body.readOnlyReason.en).toContain('external identity provider');
  });

  it('refuses an addition and an edit, in both languages, writing nothing', async () => {
    const added = await createUser(
      apiEvent({
        method: 'POST',
        path,
        pathParameters: { code: 'cq-gecheng' },
        principal: demoPrincipal(),
        body: { username: 'cq-gecheng.linxiao', name: '林晓', roles: ['officer'] },
      }),
    );
    const edited = await updateUser(
      apiEvent({
        method: 'PUT',
        path: `${path}/cq-gecheng.officer`,
        pathParameters: { code: 'cq-gecheng', username: 'cq-gecheng.officer' },
        principal: demoPrincipal(),
        body: { name: '李明', roles: ['administrator'], enabled: true, expectedVersion: 0 },
      }),
    );
    for (const result of [added, edited]) {
      expect(result.statusCode).toBe(403);
      expect(parse(result).error).toMatchObject({
        code: 'directory_read_only',
        message: {
          zh: expect.stringContaining('外部身份提供方'),
          en: expect.stringContaining('external identity provider'),
        },
      });
    }
    expect(written).toEqual([]);
  });
});
