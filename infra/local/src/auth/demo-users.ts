import type { Jurisdiction } from '@qingling/shared/api/schemas.ts';
import type { Principal, Role } from '@qingling/shared/auth/principal.ts';
import type { DirectoryEntry } from '@qingling/shared/ports/user-directory.ts';

/** Invented people: one per role in each demo jurisdiction (names are not real people). */
const namesByRole: Record<Role, readonly string[]> = {
  officer: ['李明', '王芳', '张伟', '刘洋', '陈静'],
  department_head: ['赵刚', '孙丽', '周强', '吴敏', '郑涛'],
  leader_in_charge: ['钱进', '冯雪', '蒋平', '沈燕', '韩磊'],
  principal_leader: ['杨帆', '朱琳', '秦川', '许文', '何军'],
  reward_officer: ['吕娜', '施浩', '曹颖', '严斌', '华倩'],
  administrator: ['金鑫', '魏东', '陶然', '姜海', '戚红'],
};

export interface DemoUser extends Principal {
  username: string;
  jurisdictionName: { zh: string; en: string };
}

/**
 * A second reward officer in each jurisdiction: a reward is computed by one and approved
 * by another (RULES.md, "Tips and rewards"), so a demo needs two.
 */
const secondRewardOfficers: readonly string[] = ['孔悦', '曾凡', '彭越', '邵宁', '毛毅'];
/**
 * A second officer in each jurisdiction: each officer's desk lists their own cases. Named
 * `second_officer`, so that a sign-in button found by `<code>.officer` stays one button.
 */
const secondOfficers: readonly string[] = ['柳青', '唐宁', '欧阳', '顾远', '潘婷'];
const seconds = { reward_officer_2: secondRewardOfficers, second_officer: secondOfficers } as const;

/**
 * The demo users, those of `first` (the jurisdiction with the demo records) listed first:
 * a newcomer who picks the first name lands on a desk with work on it. Names follow the
 * seed's order of jurisdictions, whatever comes first (the demo records name them).
 */
export function demoUsers(jurisdictions: readonly Jurisdiction[], first?: string): DemoUser[] {
  const users = jurisdictions.flatMap((jurisdiction, index) =>
    [
      ...(Object.keys(namesByRole) as Role[]),
      ...(Object.keys(seconds) as (keyof typeof seconds)[]),
    ].map((key) => {
      const role: Role =
        key === 'reward_officer_2' ? 'reward_officer' : key === 'second_officer' ? 'officer' : key;
      const username = `${jurisdiction.code}.${key}`;
      const names = key in seconds ? seconds[key as keyof typeof seconds] : namesByRole[role];
      return {
        username,
        userId: `demo:${username}`,
        name: names[index % names.length] ?? role,
        roles: [role],
        jurisdictions: [jurisdiction.code],
        ...(role === 'officer' || role === 'department_head'
          ? { department: 'emergency_management' }
          : {}),
        jurisdictionName: { zh: jurisdiction.zh, en: jurisdiction.en },
      };
    }),
  );
  const rank = (user: DemoUser) => (user.jurisdictions[0] === first ? 0 : 1);
  return users.sort((a, b) => rank(a) - rank(b));
}

/** The demo users as the local user directory is first filled with them (all enabled). */
export function demoDirectoryEntries(
  jurisdictions: readonly Jurisdiction[],
  first?: string,
): DirectoryEntry[] {
  return demoUsers(jurisdictions, first).map(
    ({ username, userId, name, roles, jurisdictions: codes, department }) => ({
      username,
      userId,
      name,
      roles,
      jurisdictions: codes,
      ...(department ? { department } : {}),
      enabled: true,
    }),
  );
}
