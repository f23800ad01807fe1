import { citeStandard } from '@qingling/shared/hazards/citation.ts';
import { type Site, siteKindNames } from '@qingling/shared/hazards/site.ts';
import { colon, listSeparator, text, textKey } from '#lib/i18n.ts';
import { m } from '#lib/paraglide/messages.js';
import type { Hazard, TimelineEntry } from './contract.ts';
import { formatDeadline, formatMoment } from './deadlines.ts';
import { gradeNames, recipientNames, sourceNames, stepName } from './hazard-names.ts';
import { industryByCode } from './taxonomy.ts';

export const industryName = (code: string): string => {
  const industry = industryByCode(code);
  return industry ? text(industry) : code;
};

/**
 * A place without a credit code, line by line, as the hazard's facts show it: its name and
 * kind, its address, its person in charge and their phone (the link is texted there).
 */
export function siteLines(site: Site): string[] {
  const zh = textKey() === 'zh';
  const kind = text(siteKindNames[site.kind]);
  return [
    zh ? `${site.name}（${kind}）` : `${site.name} (${kind})`,
    site.address,
    `${m.hz_field_site_person()}${colon()}${site.personInCharge} · ${site.phone}`,
  ];
}

const eventTitles: Record<string, () => string> = {
  hazard_reported: m.hz_event_hazard_reported,
  rectification_started: m.hz_event_rectification_started,
  deadline_extension_requested: m.hz_event_deadline_extension_requested,
  deadline_extended: m.hz_event_deadline_extended,
  deadline_extension_refused: m.hz_event_deadline_extension_refused,
  evidence_submitted: m.hz_event_evidence_submitted,
  plan_submitted: m.hz_event_plan_submitted,
  progress_reported: m.hz_event_progress_reported,
  verification_passed: m.hz_event_verification_passed,
  verification_failed: m.hz_event_verification_failed,
  hazard_closed: m.hz_event_hazard_closed,
  hazard_reopened: m.hz_event_hazard_reopened,
  closed_before_import: m.hz_event_closed_before_import,
  look_back_due: m.hz_event_look_back_due,
  look_back_done: m.hz_event_look_back_done,
  enterprise_told: m.hz_event_enterprise_told,
  enterprise_link_sent: m.hz_event_enterprise_link_sent,
  summons_held: m.hz_event_summons_held,
  listed_supervision_placed: m.hz_event_listed_supervision_placed,
  listed_supervision_lifted: m.hz_event_listed_supervision_lifted,
  exposure_approved: m.hz_event_exposure_approved,
  exposure_withdrawn: m.hz_event_exposure_withdrawn,
};

/** What happened, in plain words: "开始整改", "督办：函告". */
export function eventTitle(entry: TimelineEntry): string {
  if (entry.type === 'escalation_step_recorded') {
    const { step } = (entry.data ?? {}) as { step?: string };
    return m.hz_event_escalation({ step: stepName(step ?? '') });
  }
  if (entry.type === 'escalation_withdrawn') {
    const { step } = (entry.data ?? {}) as { step?: string };
    return m.hz_event_escalation_withdrawn({ step: stepName(step ?? '') });
  }
  return eventTitles[entry.type]?.() ?? m.hz_event_other({ type: entry.type });
}

/** Who did it: the person's name, the enterprise (through its link), or the system. */
export function actorName(actor: TimelineEntry['actor']): string {
  if (actor.kind === 'enterprise') return m.hz_actor_enterprise();
  if (actor.kind === 'system') return m.hz_actor_system();
  if (actor.kind === 'tipster') return m.hz_actor_tipster();
  return actor.name ?? actor.id;
}

const fieldLabels: Record<string, () => string> = {
  hazardId: m.hz_field_hazard_id,
  source: m.hz_field_source,
  tipId: m.hz_field_tip_id,
  jurisdiction: m.hz_field_jurisdiction,
  unit: m.hz_field_unit,
  industry: m.hz_field_industry,
  enterprise: m.hz_field_enterprise,
  site: m.hz_field_site,
  place: m.hz_field_place,
  grade: m.hz_field_grade,
  standard: m.hz_field_standard,
  description: m.hz_field_description,
  foundOn: m.hz_field_found_on,
  responsible: m.hz_field_responsible,
  measures: m.hz_field_measures,
  deadline: m.hz_field_deadline,
  newDeadline: m.hz_field_new_deadline,
  plan: m.hz_field_plan,
  reason: m.hz_field_reason,
  reasons: m.hz_field_reasons,
  approvedBy: m.hz_field_approved_by,
  note: m.hz_field_note,
  photoKeys: m.hz_field_photos,
  position: m.hz_field_position,
  onSite: m.hz_field_on_site,
  lookBackAt: m.hz_field_look_back_at,
  dueAt: m.hz_field_due_at,
  recipients: m.hz_field_recipients,
  holding: m.hz_field_holding,
  step: m.hz_field_step,
  round: m.hz_field_round,
  late: m.hz_field_late,
  attendees: m.hz_field_attendees,
  agreed: m.hz_field_agreed,
  nextDate: m.hz_field_next_date,
  documentNumber: m.hz_field_document_number,
  enterpriseName: m.hz_field_enterprise_name,
  closedOn: m.hz_field_closed_on,
  reachedBefore: m.hz_field_reached_before,
  reachedStep: m.hz_field_reached_step,
  recipient: m.hz_field_link_recipient,
  mobileOnFile: m.hz_field_mobile_on_file,
};

const fieldLabel = (key: string): string => fieldLabels[key]?.() ?? key;

/** One fact of an event: plain text, or a rectification plan shown part by part. */
export type EventDetail =
  | { key: string; label: string; text: string }
  | { key: string; label: string; plan: Record<string, string> };

const yesNo = (value: boolean) => (value ? m.hz_yes() : m.hz_no());

/** Names for the codes the log carries that the page knows better (jurisdictions). */
export interface Namer {
  jurisdictionName: (code: string) => string;
}

function detailText(key: string, value: unknown, namer: Namer): string {
  if (typeof value === 'boolean') return yesNo(value);
  if (typeof value === 'string') {
    if (key === 'deadline' || key === 'newDeadline') return formatDeadline(value);
    if (key === 'lookBackAt' || key === 'dueAt' || key === 'reachedBefore')
      return formatMoment(value);
    if (key === 'grade' && (value === 'general' || value === 'major')) return gradeNames[value]();
    if (key === 'source' && value in sourceNames) return sourceNames[value as Hazard['source']]();
    if (key === 'industry') return industryName(value);
    if (key === 'jurisdiction') return namer.jurisdictionName(value);
    if (key === 'step' || key === 'reachedStep') return stepName(value);
    if (key === 'recipient') {
      return value === 'site_person_in_charge' ? m.hz_link_who_site() : m.hz_link_who_principal();
    }
    return value;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return m.hz_none();
    const items =
      key === 'recipients' ? value.map((r) => recipientNames[r]?.() ?? String(r)) : value;
    return items.map(String).join(listSeparator());
  }
  if (key === 'position' && value && typeof value === 'object') {
    const { latitude, longitude } = value as { latitude?: number; longitude?: number };
    return `${latitude}, ${longitude}`;
  }
  if (key === 'site' && value && typeof value === 'object')
    return siteLines(value as Site).join('\n');
  if (key === 'standard' && value && typeof value === 'object') {
    const { ref, clause } = value as { ref?: string; clause?: string };
    return text(citeStandard({ ref: ref ?? '', clause: clause ?? '' }));
  }
  return JSON.stringify(value);
}

/**
 * Every fact an event carries, labelled, in the order it was recorded: the timeline hides
 * nothing that is on the log (values it has no words for are shown as they are).
 */
export function eventDetails(entry: TimelineEntry, namer: Namer): EventDetail[] {
  const data = entry.data;
  if (!data || typeof data !== 'object') return [];
  // Photos are shown as photos (PhotoViewer), each with its hash, not as keys.
  const shown = Object.entries(data as Record<string, unknown>).filter(
    ([key]) => key !== 'photos' && key !== 'photoKeys',
  );
  return shown.map(([key, value]) => {
    const label = fieldLabel(key);
    if (key === 'plan' && value && typeof value === 'object') {
      return { key, label, plan: value as Record<string, string> };
    }
    return { key, label, text: detailText(key, value, namer) };
  });
}
