import { describe, expect, it } from 'vitest';
import {
  type DirectoryUser,
  emptyNewUser,
  formOf,
  newUserOf,
  type UserList,
  userEditOf,
  withUser,
} from './admin-users.ts';

const user: DirectoryUser = {
  username: 'cq-gecheng.officer',
  name: '李明',
  roles: ['officer'],
  jurisdictions: ['cq-gecheng'],
  enabled: true,
  version: 2,
  edits: [],
};
const list: UserList = {
  jurisdiction: 'cq-gecheng',
  directory: 'local',
  editable: true,
  users: [user],
};

describe('the users and roles page', () => {
  it('sends the version it read, the name trimmed, the roles ticked', () => {
    const form = formOf(user);
    form.name = '  李明明 ';
    form.roles = ['officer', 'department_head'];
    form.enabled = false;
    expect(userEditOf(user, form)).toEqual({
      name: '李明明',
      roles: ['officer', 'department_head'],
      enabled: false,
      expectedVersion: 2,
    });
    // The form is a copy: ticking does not change the user shown.
    expect(user.roles).toEqual(['officer']);
  });

  it('adds a user with the username in lower case, and the address only when typed', () => {
    const form = {
      ...emptyNewUser(),
      username: ' CQ-Gecheng.LinXiao ',
      name: '林晓',
      roles: ['officer' as const],
    };
    expect(newUserOf(form)).toEqual({
      username: 'cq-gecheng.linxiao',
      name: '林晓',
      roles: ['officer'],
    });
    expect(newUserOf({ ...form, email: ' lx@example.gov.cn ' }).email).toBe('lx@example.gov.cn');
  });

  it('replaces a saved user in the list, and appends an added one', () => {
    const saved = { ...user, roles: ['department_head' as const], version: 3 };
    expect(withUser(list, saved).users).toEqual([saved]);
    const added = { ...user, username: 'cq-gecheng.linxiao', version: 1 };
    expect(withUser(list, added).users.map((entry) => entry.username)).toEqual([
      'cq-gecheng.officer',
      'cq-gecheng.linxiao',
    ]);
  });
});
