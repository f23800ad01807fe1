import * as z from 'zod/mini';
import { jurisdictionCodeParameters } from '../api/schemas.ts';
import { maxRecordVersion, said, text, withMeta } from '../api/validation.ts';
import { type Principal, type Role, roleSchema } from '../auth/principal.ts';
import type { Bilingual } from '../i18n/text.ts';
import type { DirectoryEntry, DirectoryKind } from '../ports/user-directory.ts';

/**
 * The users and roles an administrator keeps (RULES.md, "Who is who"): who may sign in to
 * the office, with which roles, in which jurisdictions. The people live in the directory
 * (Cognito, or the embedded cloud's file); each user's version and edit log live in the
 * table, so an edit names the version it replaces and is logged with who, when and what.
 */

/** A user name as Cognito and the local sign-in take it: lower case, digits, `.`, `_`, `-`. */
export const usernameSchema = withMeta(
  z
    .string()
    .check(
      z.regex(
        /^[a-z0-9][a-z0-9._-]{2,63}$/,
        said(
          '用户名须为 3 至 64 位小写字母、数字或 . _ -，以字母或数字开头。',
          'A username is 3 to 64 lower-case letters, digits or . _ -, starting with a letter or digit.',
        ),
      ),
    ),
  { example: 'cq-gecheng.officer3' },
);

const rolesSchema = z.pipe(
  z
    .array(roleSchema)
    .check(z.minLength(1, said('请至少选择一个角色。', 'Choose at least one role.'))),
  z.transform((list) => [...new Set(list)]),
);

const nameSchema = text({ min: 1, max: 40 });

export const userPathParameters = z.object({
  ...jurisdictionCodeParameters.shape,
  username: usernameSchema,
});

export const createUserSchema = withMeta(
  z.strictObject({
    username: usernameSchema,
    name: nameSchema,
    roles: rolesSchema,
    email: z.optional(
      z
        .string()
        .check(
          z.regex(
            /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,}$/,
            said('电子邮箱格式有误。', 'The e-mail address is not valid.'),
          ),
        ),
    ),
  }),
  { id: 'CreateUser' },
);
export type CreateUser = z.output<typeof createUserSchema>;

export const updateUserSchema = withMeta(
  z.strictObject({
    name: nameSchema,
    roles: rolesSchema,
    enabled: z.boolean(),
    expectedVersion: withMeta(z.number().check(z.int(), z.gte(0), z.lte(maxRecordVersion)), {
      description: 'The version the editor saw: 0 while the user has never been edited here.',
    }),
  }),
  { id: 'UpdateUser' },
);
export type UpdateUser = z.output<typeof updateUserSchema>;

const userChanges = ['created', 'name', 'roles', 'enabled', 'disabled'] as const;
export type UserChange = (typeof userChanges)[number];

/** One logged edit: who, when, what changed and the roles it left. */
export interface UserEdit {
  version: number;
  at: string;
  by: { userId: string; name: string };
  changed: UserChange[];
  roles: Role[];
  enabled: boolean;
}

/** A user's version and edit log, as the table keeps them. */
export interface UserEdits {
  version: number;
  updatedAt: string;
  updatedBy: { userId: string; name: string };
  edits: UserEdit[];
}

export const directoryUserSchema = withMeta(
  z.object({
    username: z.string(),
    name: z.string(),
    roles: z.array(roleSchema),
    jurisdictions: z.array(z.string()),
    enabled: z.boolean(),
    version: withMeta(z.number().check(z.int(), z.gte(0)), {
      description: 'What an edit sends as expectedVersion; 0 while never edited here.',
    }),
    updatedAt: z.optional(z.string()),
    updatedBy: withMeta(z.optional(z.string()), { description: 'Who made the last edit.' }),
    edits: withMeta(
      z.array(
        z.object({
          version: z.number(),
          at: z.string(),
          by: z.string(),
          changed: z.array(z.enum(userChanges)),
          roles: z.array(roleSchema),
          enabled: z.boolean(),
        }),
      ),
      { description: 'The logged edits, oldest first.' },
    ),
  }),
  { id: 'DirectoryUser' },
);
export type DirectoryUser = z.output<typeof directoryUserSchema>;

export const userListSchema = withMeta(
  z.object({
    jurisdiction: z.string(),
    directory: z.enum(['local', 'cognito', 'external']),
    editable: z.boolean(),
    readOnlyReason: z.optional(z.object({ zh: z.string(), en: z.string() })),
    users: z.array(directoryUserSchema),
  }),
  { id: 'UserList' },
);
export type UserList = z.output<typeof userListSchema>;

/** Why the screen cannot edit anyone under an external OIDC issuer. */
export const externalDirectoryReason: Bilingual = {
  zh: '本系统通过外部身份提供方（单点登录）登录，用户与角色由贵单位的身份系统管理，这里只能查看。',
  en: "Sign-in goes through an external identity provider (single sign-on): users and roles are kept in your organisation's identity system, so this page is read-only.",
};

/** The user as the screen shows it: the directory's entry with its version and log. */
export function directoryUserView(
  entry: DirectoryEntry,
  edits: UserEdits | undefined,
): DirectoryUser {
  return {
    username: entry.username,
    name: entry.name,
    roles: entry.roles,
    jurisdictions: entry.jurisdictions,
    enabled: entry.enabled,
    version: edits?.version ?? 0,
    ...(edits ? { updatedAt: edits.updatedAt, updatedBy: edits.updatedBy.name } : {}),
    edits: (edits?.edits ?? []).map((edit) => ({ ...edit, by: edit.by.name })),
  };
}

export function userListView(
  jurisdiction: string,
  kind: DirectoryKind,
  users: DirectoryUser[],
): UserList {
  return {
    jurisdiction,
    directory: kind,
    editable: kind !== 'external',
    ...(kind === 'external' ? { readOnlyReason: externalDirectoryReason } : {}),
    users,
  };
}

/** What an edit changes, for the log (never an e-mail address). */
export function changesOf(
  before: Pick<DirectoryEntry, 'name' | 'roles' | 'enabled'>,
  after: Pick<DirectoryEntry, 'name' | 'roles' | 'enabled'>,
): UserChange[] {
  const changed: UserChange[] = [];
  if (before.name !== after.name) changed.push('name');
  const sorted = (roles: readonly Role[]) => [...roles].sort().join(' ');
  if (sorted(before.roles) !== sorted(after.roles)) changed.push('roles');
  if (before.enabled !== after.enabled) changed.push(after.enabled ? 'enabled' : 'disabled');
  return changed;
}

export type EditRefusal =
  | { kind: 'forbidden' }
  | { kind: 'rule_violated'; path: string; message: Bilingual };

/**
 * Whether `editor` may manage `target`: only a user all of whose jurisdictions are the
 * editor's own (roles hold in every jurisdiction a user has), and never so as to lock the
 * editor out (their own administrator role, or their own account disabled).
 */
export function refusalOfEdit(
  editor: Principal,
  target: DirectoryEntry,
  after: { roles: readonly Role[]; enabled: boolean },
): EditRefusal | null {
  if (!target.jurisdictions.every((code) => editor.jurisdictions.includes(code))) {
    return { kind: 'forbidden' };
  }
  const self = target.userId === editor.userId || target.username === editor.userId;
  if (self && !after.enabled) {
    return {
      kind: 'rule_violated',
      path: 'enabled',
      message: {
        zh: '不能停用自己的账号，请由本辖区另一位系统管理员操作。',
        en: 'You cannot disable your own account; ask another administrator of the jurisdiction.',
      },
    };
  }
  if (self && target.roles.includes('administrator') && !after.roles.includes('administrator')) {
    return {
      kind: 'rule_violated',
      path: 'roles',
      message: {
        zh: '不能取消自己的系统管理员角色，以免无人能管理用户。',
        en: 'You cannot remove your own administrator role: no one would be left to manage users.',
      },
    };
  }
  return null;
}
