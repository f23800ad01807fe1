import * as z from 'zod/mini';
import { claimNames, listClaim } from './claims.ts';

export { claimNames, listClaim } from './claims.ts';

/** Roles of "Who is who" in the rules. One identifier each, everywhere. */
export const roles = [
  'officer',
  'department_head',
  'leader_in_charge',
  'principal_leader',
  'reward_officer',
  'administrator',
] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

export const roleNames: Record<Role, { zh: string; en: string }> = {
  officer: { zh: '监管人员', en: 'Officer' },
  department_head: { zh: '科室负责人', en: 'Department head' },
  leader_in_charge: { zh: '分管领导', en: 'Leader in charge' },
  principal_leader: { zh: '主要领导', en: 'Principal leader' },
  reward_officer: { zh: '奖励专员', en: 'Reward officer' },
  administrator: { zh: '系统管理员', en: 'Administrator' },
};

export const principalSchema = z.object({
  userId: z.string().check(z.minLength(1)),
  name: z.string().check(z.minLength(1)),
  roles: z.array(roleSchema).check(z.minLength(1)),
  jurisdictions: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)),
  department: z.optional(z.string()),
  industries: z.optional(z.array(z.string())),
});
export type Principal = z.infer<typeof principalSchema>;

/** The principal a verified token stands for, or null when its claims are not Qingling's. */
export function principalFromClaims(claims: Record<string, unknown>): Principal | null {
  const industries = listClaim(claims[claimNames.industries]);
  const department = claims[claimNames.department];
  const parsed = principalSchema.safeParse({
    userId: claims.sub,
    name: claims.name ?? claims['cognito:username'] ?? claims.sub,
    roles: listClaim(claims[claimNames.roles]).filter((role) =>
      (roles as readonly string[]).includes(role),
    ),
    jurisdictions: listClaim(claims[claimNames.jurisdictions]),
    ...(typeof department === 'string' && department ? { department } : {}),
    ...(industries.length ? { industries } : {}),
  });
  return parsed.success ? parsed.data : null;
}

/** The claims to put in a token for a principal: the inverse of principalFromClaims. */
export function claimsForPrincipal(principal: Principal): Record<string, string> {
  return {
    sub: principal.userId,
    name: principal.name,
    [claimNames.roles]: principal.roles.join(' '),
    [claimNames.jurisdictions]: principal.jurisdictions.join(' '),
    ...(principal.department ? { [claimNames.department]: principal.department } : {}),
    ...(principal.industries?.length
      ? { [claimNames.industries]: principal.industries.join(' ') }
      : {}),
  };
}
