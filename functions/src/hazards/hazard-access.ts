import { seedCalendar } from '@qingling/shared/calendar/calendar.ts';
import { verifyChain } from '@qingling/shared/event-log/event-log.ts';
import type { Projection, Snapshot } from '@qingling/shared/event-log/event-store.ts';
import { withRecordJustRead } from '@qingling/shared/event-log/read-once.ts';
import type {
  CommandOutcome,
  HazardCommandDependencies,
} from '@qingling/shared/hazards/commands.ts';
import { defaultEscalationPolicy } from '@qingling/shared/hazards/escalation.ts';
import { photosOfEvent } from '@qingling/shared/hazards/evidence.ts';
import {
  type HazardState,
  hazardProjection,
  hazardStream,
  LifecycleViolation,
} from '@qingling/shared/hazards/hazard.ts';
import { defaultLookBackPolicy, lookBackPolicyFor } from '@qingling/shared/hazards/look-back.ts';
import { hazardDetail } from '@qingling/shared/hazards/views.ts';
import * as dependencies from '../dependencies.ts';
import { ApiFailure } from '../http/api-handler.ts';
import { photoReadUrls } from './evidence-photos.ts';

/**
 * The record, the clock, the policies and the workflow, as hazard commands need them. The
 * policies are data: the calendar in force (deadlines in working days) and the ladder of
 * the hazard's jurisdiction (its office hours). A command loads the hazard before any rule
 * reads them, so they are fetched (through the policy cache) as the hazard is loaded; until
 * then the seed and the national default stand in.
 */
export function hazardCommandDependencies(
  /** The hazard as the route's scope check just read it: not read a second time. */
  justRead?: Snapshot<HazardState>,
): HazardCommandDependencies {
  const store = justRead
    ? withRecordJustRead(dependencies.eventStore(), justRead)
    : dependencies.eventStore();
  const policies = dependencies.policies();
  const deps: HazardCommandDependencies = {
    events: {
      read: (stream) => store.read(stream),
      firstEvent: (stream) => store.firstEvent(stream),
      append: (stream, expected, event, projection, options) =>
        store.append(stream, expected, event, projection, options),
      load: async <State>(stream: string, projection: Projection<State>) => {
        const snapshot = await store.load(stream, projection);
        const jurisdiction = (snapshot?.state as { jurisdiction?: unknown } | undefined)
          ?.jurisdiction;
        deps.calendar = await policies.calendar();
        if (typeof jurisdiction === 'string') {
          deps.policy = await policies.escalationPolicy(jurisdiction);
          deps.lookBack = lookBackPolicyFor(deps.policy);
        }
        return snapshot;
      },
    },
    clock: dependencies.clock(),
    calendar: seedCalendar,
    policy: defaultEscalationPolicy,
    lookBack: defaultLookBackPolicy,
    workflow: dependencies.hazardWorkflow(),
  };
  return deps;
}

/** The same, with a jurisdiction's policies read up front (a deadline before any hazard). */
export async function hazardCommandDependenciesIn(
  jurisdiction: string,
): Promise<HazardCommandDependencies> {
  const deps = hazardCommandDependencies();
  const policies = dependencies.policies();
  deps.calendar = await policies.calendar();
  deps.policy = await policies.escalationPolicy(jurisdiction);
  deps.lookBack = lookBackPolicyFor(deps.policy);
  return deps;
}

/** The hazard, or 404 when it is outside the caller's jurisdictions (no existence leak). */
export async function hazardForJurisdictionsOf(
  hazardId: string,
  jurisdictions: readonly string[],
): Promise<Snapshot<HazardState>> {
  const snapshot = await dependencies.eventStore().load(hazardStream(hazardId), hazardProjection);
  if (!snapshot || !jurisdictions.includes(snapshot.state.jurisdiction)) {
    throw new ApiFailure('not_found');
  }
  return snapshot;
}

/** The hazard's page: its state, its log, and whether the log's hash chain verifies. */
export async function hazardPage(state: HazardState) {
  const events = await dependencies.eventStore().read(hazardStream(state.hazardId));
  const policy = await dependencies.policies().escalationPolicy(state.jurisdiction);
  return hazardDetail(state, events, await verifyChain(events), policy.closure);
}

/**
 * The page with short-lived read URLs of its photos, for the console to show them. Apart
 * from hazardPage: recording a hazard answers without them (the console opens the page
 * next), so that function does not carry the URL signer.
 */
export async function hazardPageWithPhotos(state: HazardState) {
  const page = await hazardPage(state);
  // Only a hazard with photos needs the evidence store (and its read grant).
  if (!page.timeline.some((entry) => photosOfEvent(entry).length > 0)) return page;
  return { ...page, ...(await photoReadUrls(page.timeline)) };
}

/** A rule of the lifecycle refused the decision: a 409 that says which rule, in both languages. */
export function refusal(error: unknown): never {
  if (error instanceof LifecycleViolation) {
    throw new ApiFailure('rule_violated', [{ path: 'command', message: error.text }]);
  }
  throw error;
}

/** A command's outcome as the API answers it: the hazard page, or 409 with the hazard now. */
export async function answer(outcome: CommandOutcome, status = 200) {
  if (outcome.kind === 'not_found') throw new ApiFailure('not_found');
  if (outcome.kind === 'conflict') {
    throw new ApiFailure('conflict', undefined, await hazardPageWithPhotos(outcome.current.state));
  }
  return {
    status: outcome.duplicate ? 200 : status,
    body: await hazardPageWithPhotos(outcome.snapshot.state),
  };
}
