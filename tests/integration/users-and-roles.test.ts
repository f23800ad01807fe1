import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedCloud, startEmbeddedCloud } from '#local/embedded-cloud.ts';
import { ManualClock } from '../support/clock.ts';
import { fixtureSite, signIn, temporaryDataDirectory } from '../support/embedded-cloud.ts';

// Users and roles are kept by each jurisdiction's administrators through the API, in the
// directory that signs people in (here the embedded cloud's, in .data): an added user signs
// in with the roles given, a change counts from the next sign-in, a disabled account gets
// no token. Each edit names the version it replaces and is logged; an administrator reaches
// only their own jurisdiction's users and cannot lock themselves out.

const own = 'cq-gecheng';
const other = 'fj-xiamen-xiangan';
const admin = `${own}.administrator`;
const clock = new ManualClock('2026-12-08T02:00:00.000Z');
let cloud: EmbeddedCloud;
let data: Awaited<ReturnType<typeof temporaryDataDirectory>>;

async function start() {
  cloud = await startEmbeddedCloud({
    dataDirectory: data.path,
    port: 0,
    webRoot: fixtureSite,
    clock,
  });
}
beforeAll(async () => {
  data = await temporaryDataDirectory();
  await start();
});
afterAll(async () => {
  await cloud?.stop();
  await data?.remove();
});

// biome-ignore lint/suspicious/noExplicitAny: assertions, not types, check a reply's shape
type Reply = { status: number; body: any };

async function call(method: string, path: string, as: string, body?: unknown): Promise<Reply> {
  const response = await fetch(`${cloud.url}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${await signIn(cloud.url, as)}`,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

const usersPath = (code = own) => `/api/admin/jurisdictions/${code}/users`;
const userPath = (username: string, code = own) => `${usersPath(code)}/${username}`;

async function tokenOf(username: string) {
  const response = await fetch(`${cloud.url}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username }),
  });
  const body = (await response.json()) as { id_token?: string; error?: { code: string } };
  return {
    status: response.status,
    body,
    claims: body.id_token ? decodeJwt(body.id_token) : null,
  };
}

describe('users and roles on the embedded cloud', () => {
  const newcomer = 'cq-gecheng.linxiao';
  let adminName = '';

  it('lists the jurisdiction’s users, editable, with versions', async () => {
    const reply = await call('GET', usersPath(), admin);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body).toMatchObject({ jurisdiction: own, directory: 'local', editable: true });
    const usernames = reply.body.users.map((user: { username: string }) => user.username);
    expect(usernames).toContain(`${own}.officer`);
    expect(usernames.every((name: string) => name.startsWith(`${own}.`))).toBe(true);
    expect(reply.body.users[0]).toMatchObject({ enabled: true, version: 0, edits: [] });
    adminName = reply.body.users.find((user: { username: string }) => user.username === admin).name;
  });

  it('adds a user who then signs in with the role given, and logs who added them', async () => {
    expect((await tokenOf(newcomer)).status).toBe(400);
    const created = await call('POST', usersPath(), admin, {
      username: newcomer,
      name: '林晓',
      roles: ['officer'],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      username: newcomer,
      roles: ['officer'],
      jurisdictions: [own],
      enabled: true,
      version: 1,
      updatedBy: adminName,
      edits: [{ version: 1, by: adminName, changed: ['created'], at: clock.now().toISOString() }],
    });
    const signedIn = await tokenOf(newcomer);
    expect(signedIn.status).toBe(200);
    expect(signedIn.claims).toMatchObject({
      name: '林晓',
      'qingling:roles': 'officer',
      'qingling:jurisdictions': own,
    });
    // The new user works as an officer at once.
    const desk = await call('GET', `/api/office/tips?jurisdiction=${own}`, newcomer);
    expect(desk.status).toBe(200);
    // The username is taken now, in both languages; nothing changes.
    const again = await call('POST', usersPath(), admin, {
      username: newcomer,
      name: '别人',
      roles: ['administrator'],
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('username_taken');
    expect((await tokenOf(newcomer)).claims?.name).toBe('林晓');
  });

  it('changes roles: the next sign-in carries them; a stale version gets 409 and the user as now', async () => {
    const changed = await call('PUT', userPath(newcomer), admin, {
      name: '林晓',
      roles: ['officer', 'department_head'],
      enabled: true,
      expectedVersion: 1,
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toMatchObject({ version: 2, roles: ['officer', 'department_head'] });
    expect(changed.body.edits.at(-1)).toMatchObject({ version: 2, changed: ['roles'] });
    expect((await tokenOf(newcomer)).claims?.['qingling:roles']).toBe('officer department_head');

    const stale = await call('PUT', userPath(newcomer), admin, {
      name: '林晓',
      roles: ['reward_officer'],
      enabled: true,
      expectedVersion: 1,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('conflict');
    expect(stale.body.error.current).toMatchObject({
      version: 2,
      roles: ['officer', 'department_head'],
    });
    expect((await tokenOf(newcomer)).claims?.['qingling:roles']).toBe('officer department_head');
  });

  it('disables an account: sign-in is refused in both languages until it is enabled again', async () => {
    const disabled = await call('PUT', userPath(newcomer), admin, {
      name: '林晓',
      roles: ['officer', 'department_head'],
      enabled: false,
      expectedVersion: 2,
    });
    expect(disabled.status, JSON.stringify(disabled.body)).toBe(200);
    expect(disabled.body.edits.at(-1)).toMatchObject({ version: 3, changed: ['disabled'] });
    const refused = await tokenOf(newcomer);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({
      error: { code: 'user_disabled', message: { zh: expect.stringContaining('停用') } },
    });
    const list = await (await fetch(`${cloud.url}/auth/demo-users`)).json();
    expect(list.users.map((user: { username: string }) => user.username)).not.toContain(newcomer);

    const enabled = await call('PUT', userPath(newcomer), admin, {
      name: '林晓',
      roles: ['officer', 'department_head'],
      enabled: true,
      expectedVersion: 3,
    });
    expect(enabled.status).toBe(200);
    expect((await tokenOf(newcomer)).status).toBe(200);
  });

  it('keeps an administrator to their own jurisdiction', async () => {
    const foreignList = await call('GET', usersPath(other), admin);
    expect(foreignList.status).toBe(403);
    const foreignEdit = await call('PUT', userPath(`${other}.officer`, other), admin, {
      name: '李明',
      roles: ['administrator'],
      enabled: true,
      expectedVersion: 0,
    });
    expect(foreignEdit.status).toBe(403);
    // Another jurisdiction's user named under one's own: as if unknown.
    const disguised = await call('PUT', userPath(`${other}.officer`), admin, {
      name: '李明',
      roles: ['administrator'],
      enabled: true,
      expectedVersion: 0,
    });
    expect(disguised.status).toBe(404);
    const foreignAdd = await call('POST', usersPath(other), admin, {
      username: 'fj-xiamen-xiangan.intruder',
      name: '入侵者',
      roles: ['administrator'],
    });
    expect(foreignAdd.status).toBe(403);
    expect((await tokenOf(`${other}.officer`)).claims?.['qingling:roles']).toBe('officer');
    expect((await tokenOf('fj-xiamen-xiangan.intruder')).status).toBe(400);
    // Only administrators manage users.
    expect((await call('GET', usersPath(), `${own}.principal_leader`)).status).toBe(403);
  });

  it('refuses a lock-out and bad input in both languages, changing nothing', async () => {
    const lockOut = await call('PUT', userPath(admin), admin, {
      name: '金鑫',
      roles: ['officer'],
      enabled: true,
      expectedVersion: 0,
    });
    expect(lockOut.status).toBe(422);
    expect(lockOut.body.error.issues[0]).toMatchObject({
      path: 'roles',
      message: {
        zh: expect.stringContaining('系统管理员'),
        en: expect.stringContaining('administrator'),
      },
    });
    const selfDisable = await call('PUT', userPath(admin), admin, {
      name: '金鑫',
      roles: ['administrator'],
      enabled: false,
      expectedVersion: 0,
    });
    expect(selfDisable.status).toBe(422);
    expect((await tokenOf(admin)).claims?.['qingling:roles']).toBe('administrator');

    const bad = await call('POST', usersPath(), admin, {
      username: 'Bad Name!',
      name: '',
      roles: ['emperor'],
    });
    expect(bad.status).toBe(400);
    const paths = bad.body.error.issues.map((issue: { path: string }) => issue.path).sort();
    expect(paths).toEqual(expect.arrayContaining(['name', 'username']));
    const username = bad.body.error.issues.find(
      (issue: { path: string }) => issue.path === 'username',
    );
    expect(username.message.zh).toMatch(/用户名/);
    expect(username.message.en).toMatch(/username/i);
    const noRoles = await call('PUT', userPath(newcomer), admin, {
      name: '林晓',
      roles: [],
      enabled: true,
      expectedVersion: 4,
    });
    expect(noRoles.status).toBe(400);
    expect(noRoles.body.error.issues[0].message.zh).toMatch(/角色/);
    const list = await call('GET', usersPath(), admin);
    expect(
      list.body.users.find((user: { username: string }) => user.username === newcomer),
    ).toMatchObject({
      version: 4,
      roles: ['officer', 'department_head'],
    });
  });

  it('keeps the edits across a restart, in the data folder', async () => {
    await cloud.stop();
    await start();
    const signedIn = await tokenOf(newcomer);
    expect(signedIn.claims?.['qingling:roles']).toBe('officer department_head');
    const stored = JSON.parse(await readFile(join(data.path, 'users.json'), 'utf8'));
    expect(stored.users.some((user: { username: string }) => user.username === newcomer)).toBe(
      true,
    );
    const list = await call('GET', usersPath(), admin);
    const user = list.body.users.find((entry: { username: string }) => entry.username === newcomer);
    expect(user.edits.map((edit: { changed: string[] }) => edit.changed)).toEqual([
      ['created'],
      ['roles'],
      ['disabled'],
      ['enabled'],
    ]);
  });
});
