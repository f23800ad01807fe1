import type { ChainCheck, RecordedEvent } from '../event-log/event-log.ts';
import { excerptOf } from '../i18n/excerpt.ts';
import { type ClosurePolicy, closureView, supervisingDepartment } from './closure.ts';
import type { EscalationStep } from './escalation.ts';
import { foundOnOf } from './found-on.ts';
import type { HazardState } from './hazard.ts';

export { foundOnOf };

/** What the ledger shows of a hazard: one row. */

/**
 * The last escalation step fired on the hazard (withdrawn ones do not count), else the one
 * an imported ledger had reached (backlog.ts): the ledger's 已升级至.
 */
export function stepReached(state: HazardState): EscalationStep | undefined {
  return (
    state.escalations.filter((step) => !step.withdrawn).at(-1)?.step ?? state.round?.reachedStep
  );
}

export function hazardSummary(state: HazardState) {
  const reached = stepReached(state);
  return {
    hazardId: state.hazardId,
    status: state.status,
    source: state.source,
    grade: state.grade,
    jurisdiction: state.jurisdiction,
    ...(state.unit ? { unit: state.unit } : {}),
    industry: state.industry,
    ...(state.enterprise ? { enterprise: state.enterprise } : {}),
    ...(state.site ? { site: state.site } : {}),
    place: state.place,
    excerpt: excerptOf(state.description, 80),
    reportedAt: state.reportedAt,
    foundOn: foundOnOf(state),
    ...(state.round ? { deadline: state.round.deadline, round: state.round.number } : {}),
    ...(state.responsible ? { responsible: state.responsible } : {}),
    pendingExtension: Boolean(state.pendingExtension),
    escalations: state.escalations.length,
    ...(reached ? { stepReached: reached } : {}),
  };
}

/** Events the people of the office read on the timeline (the workflow's own are hidden). */
const internalEvents = new Set([
  'lifecycle_generation_started',
  'escalation_step_delivered',
  'escalation_delivery_started',
  'tip_told',
]);

/**
 * The log as people read it: the workflow's own records left out, each entry saying how
 * many were left out before it, so that its number (the chain's own) does not seem to skip.
 */
function timelineOf(events: readonly RecordedEvent[]) {
  let left = 0;
  const timeline = [];
  for (const event of events) {
    if (internalEvents.has(event.type)) {
      left += 1;
      continue;
    }
    timeline.push({
      sequence: event.sequence,
      at: event.at,
      type: event.type,
      actor: event.actor,
      data: event.data,
      hash: event.hash,
      ...(left > 0 ? { systemRecordsBefore: left } : {}),
    });
    left = 0;
  }
  return timeline;
}

/** A hazard's page: everything on it, its log and whether the log's chain verifies. */
export function hazardDetail(
  state: HazardState,
  events: readonly RecordedEvent[],
  chain: ChainCheck,
  closurePolicy?: ClosurePolicy,
) {
  return {
    hazard: {
      ...hazardSummary(state),
      description: state.description,
      ...(state.standard ? { standard: state.standard } : {}),
      ...(state.tipId ? { tipId: state.tipId } : {}),
      ...(state.responsible ? { responsible: state.responsible } : {}),
      ...(state.measures ? { measures: state.measures } : {}),
      ...(state.plan ? { plan: state.plan } : {}),
      ...(state.pendingExtension ? { pendingExtensionDetail: state.pendingExtension } : {}),
      ...(state.verifiedAt ? { verifiedAt: state.verifiedAt } : {}),
      ...(state.closedAt ? { closedAt: state.closedAt } : {}),
      ...(state.lookBack ? { lookBack: state.lookBack } : {}),
      enterpriseTold: Boolean(state.enterpriseTold),
      ...(state.linkTexted ? { linkTexted: state.linkTexted } : {}),
      ...(state.summonses?.length ? { summonses: state.summonses } : {}),
      ...(state.listedSupervision ? { listedSupervision: state.listedSupervision } : {}),
      ...(state.exposure ? { exposure: state.exposure } : {}),
      supervisingDepartment: supervisingDepartment(state.industry),
      closure: closureView(state, closurePolicy),
    },
    revision: state.revision,
    timeline: timelineOf(events),
    chain: chain.valid
      ? { valid: true, head: chain.head }
      : { valid: false, brokenAt: chain.brokenAt, reason: chain.reason },
  };
}

/**
 * What the enterprise's principal sees through their link: the hazard as found and what
 * is asked of them. Nothing from a tip (text, photos, channel) ever: a hazard from a tip
 * shows the officer's own description only.
 */
export function hazardForEnterprise(state: HazardState) {
  return {
    hazardId: state.hazardId,
    status: state.status,
    grade: state.grade,
    place: state.place,
    description: state.description,
    ...(state.standard ? { standard: state.standard } : {}),
    ...(state.round ? { deadline: state.round.deadline } : {}),
    ...(state.measures ? { measures: state.measures } : {}),
    ...(state.plan ? { plan: state.plan } : {}),
    ...(state.submittedPlan ? { submittedPlan: state.submittedPlan } : {}),
    progress: state.enterpriseUpdates,
  };
}
