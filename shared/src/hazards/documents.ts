import { cstDate } from '../calendar/calendar.ts';
import type { EscalationStep } from './escalation.ts';

/**
 * The printed documents of the escalation ladder (RULES.md): the notice letter to the
 * enterprise (函告), the circular to the departments (通报) and the summons notice to the
 * enterprise's principal (约谈通知). Each is filled from the hazard and numbered from it:
 * the number names the hazard and its round, so printing again gives the same number and
 * no two hazards' (or rounds') documents share one.
 */
export const escalationDocumentKinds = ['notice_letter', 'circular', 'summons_notice'] as const;
export type EscalationDocumentKind = (typeof escalationDocumentKinds)[number];

export const isEscalationDocumentKind = (value: string): value is EscalationDocumentKind =>
  (escalationDocumentKinds as readonly string[]).includes(value);

/** The ladder's step each document belongs to. */
export const documentStep: Record<EscalationDocumentKind, EscalationStep> = {
  notice_letter: 'notice_letter',
  circular: 'circular',
  summons_notice: 'summons',
};

const prefixes: Record<EscalationDocumentKind, string> = {
  notice_letter: '函',
  circular: '通',
  summons_notice: '约',
};

/**
 * The CST date the document bears: the day its step was recorded for the hazard's current
 * round, or today for a document prepared before the step falls due.
 */
export function documentDate(
  kind: EscalationDocumentKind,
  hazard: { round?: number },
  timeline: readonly { type: string; at: string; data: unknown }[],
  now: Date,
): string {
  const step = timeline.find((entry) => {
    if (entry.type !== 'escalation_step_recorded') return false;
    const data = entry.data as { step?: string; round?: number } | null;
    return data?.step === documentStep[kind] && data.round === hazard.round;
  });
  return cstDate(step ? new Date(step.at) : now);
}

/** 清零函〔2026〕BCDEFGHI-1号: the kind, the year it is dated, the hazard and its round. */
export function documentNumber(
  kind: EscalationDocumentKind,
  hazard: { hazardId: string; round?: number },
  date: string,
): string {
  return `清零${prefixes[kind]}〔${date.slice(0, 4)}〕${hazard.hazardId.slice(0, 8).toUpperCase()}-${hazard.round ?? 0}号`;
}
