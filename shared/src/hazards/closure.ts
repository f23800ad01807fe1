import type { Role } from '../auth/principal.ts';
import industryDepartments from '../data/industry-departments.json' with { type: 'json' };
import type { Bilingual } from '../i18n/text.ts';
import type { ClosurePolicy, SignOffRole } from './escalation.ts';
import { type HazardState, LifecycleViolation } from './hazard.ts';

/**
 * 销号 by the book (RULES.md: "supervision and sign-off (督办、审核把关销号) by the department
 * with supervisory duty"; "whoever inspects signs and answers for it"). A general hazard is
 * closed by an officer, as before. A major hazard, once verified, is signed off by a second
 * person: one holding the jurisdiction's sign-off role (default: the department head), and
 * never the person who passed its verification. Pure: the caller says who is signing.
 */
export type { ClosurePolicy, SignOffRole } from './escalation.ts';

export const defaultClosurePolicy: ClosurePolicy = {
  majorSignOff: 'department_head',
  source:
    'RULES.md: 督办、审核把关销号 by the department with supervisory duty; the department head ' +
    'as second signer is a default chosen for this system',
};

export interface Signer {
  id: string;
  roles: readonly Role[];
}

/** Who may close the hazard: the role, and whether it must be someone other than its verifier. */
export function signOffOf(
  state: Pick<HazardState, 'grade'>,
  policy: ClosurePolicy = defaultClosurePolicy,
): { role: SignOffRole; secondPerson: boolean } {
  return state.grade === 'major'
    ? { role: policy.majorSignOff, secondPerson: true }
    : { role: 'officer', secondPerson: false };
}

const roleNames: Record<SignOffRole, Bilingual> = {
  officer: { zh: '监管人员', en: 'an officer' },
  department_head: { zh: '科室负责人', en: 'the department head' },
};

/**
 * Why this signer may not close the hazard now, or null. Only the rules of who signs: the
 * lifecycle's own (verified first, status) are checkTransition's. A signer whose roles are
 * not known (a system caller) may close a general hazard only.
 */
export function closureRefusal(
  state: Pick<HazardState, 'grade' | 'verifiedBy'>,
  signer: { id: string; roles?: readonly Role[] },
  policy: ClosurePolicy = defaultClosurePolicy,
): LifecycleViolation | null {
  const { role, secondPerson } = signOffOf(state, policy);
  const name = roleNames[role];
  if (secondPerson && state.verifiedBy?.id === signer.id) {
    return new LifecycleViolation({
      zh: `重大事故隐患须由核查人以外的${name.zh}审核销号：您已核查本隐患，不能再为其销号。`,
      en: `A major hazard is signed off by ${name.en}, someone other than its verifier: you verified this hazard, so you cannot close it.`,
    });
  }
  if (signer.roles ? !signer.roles.includes(role) : secondPerson) {
    return new LifecycleViolation({
      zh: `${state.grade === 'major' ? '重大事故隐患' : '一般事故隐患'}须由${name.zh}销号。`,
      en: `A ${state.grade} hazard is closed by ${name.en}.`,
    });
  }
  return null;
}

/** Whether the signer may close the hazard now (what the page offers; the server checks again). */
export function mayClose(
  state: Pick<HazardState, 'grade' | 'status' | 'verifiedAt' | 'verifiedBy'>,
  signer: Signer,
  policy: ClosurePolicy = defaultClosurePolicy,
): boolean {
  return (
    state.status === 'verifying' &&
    Boolean(state.verifiedAt) &&
    closureRefusal(state, signer, policy) === null
  );
}

export interface Department {
  code: string;
  zh: string;
  en: string;
}

/**
 * 管行业必须管安全: the department with supervisory duty for the hazard's industry
 * (reference data, data/industry-departments.json); an unknown industry falls to
 * emergency management, which answers for what no industry department does.
 */
export function supervisingDepartment(industry: string): Department {
  const codes = industryDepartments.industries as Record<string, string>;
  const departments = industryDepartments.departments as Record<string, Bilingual>;
  const code = codes[industry] ?? 'emergency_management';
  const name = departments[code] ?? { zh: code, en: code };
  return { code, zh: name.zh, en: name.en };
}

/** What the hazard page shows of its sign-off: who verified, and who is to close it. */
export function closureView(state: HazardState, policy: ClosurePolicy = defaultClosurePolicy) {
  const { role, secondPerson } = signOffOf(state, policy);
  return {
    signOffRole: role,
    secondPerson,
    ...(state.verifiedBy ? { verifiedBy: state.verifiedBy } : {}),
    awaitingSignOff: state.status === 'verifying' && Boolean(state.verifiedAt),
  };
}
