import type { Jurisdiction } from '@qingling/shared/api/schemas.ts';
import type { Principal, Role } from '@qingling/shared/auth/principal.ts';

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

export function demoUsers(jurisdictions: readonly Jurisdiction[]): DemoUser[] {
  return jurisdictions.flatMap((jurisdiction, index) =>
    (Object.keys(namesByRole) as Role[]).map((role) => {
      const username = `${jurisdiction.code}.${role}`;
      return {
        username,
        userId: `demo:${username}`,
        name: namesByRole[role][index % namesByRole[role].length] ?? role,
        roles: [role],
        jurisdictions: [jurisdiction.code],
        ...(role === 'officer' || role === 'department_head'
          ? { department: 'emergency_management' }
          : {}),
        jurisdictionName: { zh: jurisdiction.zh, en: jurisdiction.en },
      };
    }),
  );
}
