import { m } from '#lib/paraglide/messages.js';
import type { Hazard, LedgerStatus } from './contract.ts';

/** The names people read for the hazard API's codes, in the page's language. */
export const statusNames: Record<LedgerStatus, () => string> = {
  reported: m.hz_status_reported,
  rectifying: m.hz_status_rectifying,
  verifying: m.hz_status_verifying,
  closed: m.hz_status_closed,
  closed_look_back: m.hz_status_closed_look_back,
};

export const gradeNames: Record<Hazard['grade'], () => string> = {
  general: m.hz_grade_general,
  major: m.hz_grade_major,
};

export const sourceNames: Record<Hazard['source'], () => string> = {
  inspection: m.hz_source_inspection,
  self_report: m.hz_source_self_report,
  tip: m.hz_source_tip,
};

const stepNames: Record<string, () => string> = {
  reminder: m.hz_step_reminder,
  notice_letter: m.hz_step_notice_letter,
  circular: m.hz_step_circular,
  summons: m.hz_step_summons,
  public_exposure: m.hz_step_public_exposure,
};

export const recipientNames: Record<string, () => string> = {
  enterprise_principal: m.hz_recipient_enterprise_principal,
  enterprise_controller: m.hz_recipient_enterprise_controller,
  assigned_officer: m.hz_recipient_assigned_officer,
  jurisdiction_departments: m.hz_recipient_jurisdiction_departments,
  department_head: m.hz_recipient_department_head,
  leader_in_charge: m.hz_recipient_leader_in_charge,
  principal_leader: m.hz_recipient_principal_leader,
  public_page: m.hz_recipient_public_page,
  reward_officer: m.hz_recipient_reward_officer,
};

export const stepName = (step: string): string => stepNames[step]?.() ?? step;
