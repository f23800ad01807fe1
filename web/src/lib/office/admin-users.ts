import type { Role } from '@qingling/shared/auth/principal.ts';
import type { Bilingual } from '@qingling/shared/i18n/text.ts';
import type {
  CreateUser,
  DirectoryUser,
  UpdateUser,
  UserList,
} from '@qingling/shared/users/users.ts';

/**
 * The administrator's users-and-roles page (/office/admin/users): the office users of a
 * jurisdiction, added with roles, their roles changed, their accounts disabled or enabled,
 * each edit versioned (409 with the user as now) and logged. Read-only, and says why,
 * when sign-in is an external issuer's. Pure: its requests are in admin-policy-api.ts (the
 * navigation reads these words on every page).
 */
export type { DirectoryUser, UserList };

/** An edit form as typed: the roles as a set of ticks. */
export interface UserForm {
  name: string;
  roles: Role[];
  enabled: boolean;
}

export interface NewUserForm {
  username: string;
  name: string;
  email: string;
  roles: Role[];
}

export const formOf = (user: DirectoryUser): UserForm => ({
  name: user.name,
  roles: [...user.roles],
  enabled: user.enabled,
});

export const emptyNewUser = (): NewUserForm => ({ username: '', name: '', email: '', roles: [] });

/** What the PUT sends, naming the version read. */
export const userEditOf = (user: DirectoryUser, form: UserForm): UpdateUser => ({
  name: form.name.trim(),
  roles: form.roles,
  enabled: form.enabled,
  expectedVersion: user.version,
});

/** What the POST sends: the address only when typed (Cognito e-mails the first password). */
export const newUserOf = (form: NewUserForm): CreateUser => ({
  username: form.username.trim().toLowerCase(),
  name: form.name.trim(),
  roles: form.roles,
  ...(form.email.trim() ? { email: form.email.trim() } : {}),
});

/** The list with one user replaced by what a save (or a 409) answered. */
export const withUser = (list: UserList, user: DirectoryUser): UserList => ({
  ...list,
  users: list.users.some((entry) => entry.username === user.username)
    ? list.users.map((entry) => (entry.username === user.username ? user : entry))
    : [...list.users, user],
});

/** The page's words, zh and en side by side (read with `text`). */
export const words = {
  nav: { zh: '用户与角色', en: 'Users and roles' },
  title: { zh: '用户与角色', en: 'Users and roles' },
  intro: {
    zh: '管理本辖区办公用户的角色和账号状态。角色在该用户下次登录时生效；停用的账号不能再登录。每次修改都记录版本、修改人和时间。',
    en: "Manage the roles and accounts of this jurisdiction's office users. Roles take effect at the user's next sign-in; a disabled account cannot sign in. Every edit records its version, who made it and when.",
  },
  jurisdiction: { zh: '辖区', en: 'Jurisdiction' },
  loading: { zh: '正在加载…', en: 'Loading…' },
  readOnly: { zh: '只读', en: 'Read-only' },
  count: { zh: '位用户', en: 'users' },
  username: { zh: '用户名', en: 'Username' },
  name: { zh: '姓名', en: 'Name' },
  email: {
    zh: '电子邮箱（选填，用于发送初始密码）',
    en: 'E-mail (optional: the first password is sent there)',
  },
  roles: { zh: '角色', en: 'Roles' },
  enabled: { zh: '账号可以登录', en: 'Account may sign in' },
  active: { zh: '启用', en: 'Enabled' },
  disabled: { zh: '已停用', en: 'Disabled' },
  version: { zh: '版本', en: 'Version' },
  lastEdit: { zh: '最近修改', en: 'Last edited' },
  edit: { zh: '修改', en: 'Edit' },
  editOf: { zh: '修改用户', en: 'Edit user' },
  save: { zh: '保存修改', en: 'Save changes' },
  cancel: { zh: '取消', en: 'Cancel' },
  add: { zh: '添加用户', en: 'Add a user' },
  addButton: { zh: '添加', en: 'Add' },
  added: { zh: '已添加，当前为版本', en: 'Added: now version' },
  usernameHint: {
    zh: '3 至 64 位小写字母、数字或 . _ -，例如 cq-gecheng.linxiao。',
    en: '3 to 64 lower-case letters, digits or . _ -, e.g. cq-gecheng.linxiao.',
  },
  saved: { zh: '已保存，当前为版本', en: 'Saved: now version' },
  conflict: {
    zh: '保存前已有他人修改了该用户。已重新载入最新版本，请核对后再保存。',
    en: 'Someone changed this user before you saved. The latest version is loaded: check it and save again.',
  },
  invalid: { zh: '未保存：请按提示修改标出的内容。', en: 'Not saved: fix what is marked.' },
  history: { zh: '修改记录', en: 'Edit log' },
  you: { zh: '（本人）', en: ' (you)' },
} satisfies Record<string, Bilingual>;

export const changeWords: Record<DirectoryUser['edits'][number]['changed'][number], Bilingual> = {
  created: { zh: '添加', en: 'added' },
  name: { zh: '姓名', en: 'name' },
  roles: { zh: '角色', en: 'roles' },
  enabled: { zh: '启用', en: 'enabled' },
  disabled: { zh: '停用', en: 'disabled' },
};
