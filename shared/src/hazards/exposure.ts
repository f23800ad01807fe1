import type { EventStore } from '../event-log/event-store.ts';
import { type HazardState, hazardProjection, hazardStream } from './hazard.ts';
import { foundOnOf } from './views.ts';

/**
 * The public exposure page (曝光): hazards a leader approved for exposure, by jurisdiction.
 * The list is a table partition per jurisdiction (EXPOSED#<jurisdiction>) that names the
 * exposed hazards; each hazard's own state says whether it is still exposed and what the
 * page shows, so a listing left behind by a withdrawal shows nothing. A public route reads
 * partitions only, never an index (tests/infra/stack.test.ts).
 */
export const exposurePartition = (jurisdiction: string) => `EXPOSED#${jurisdiction}`;

/**
 * The listing's sort key: stable for a hazard (listing it again writes the same item),
 * newest reported first.
 */
export const exposureSortKey = (state: Pick<HazardState, 'reportedAt' | 'hazardId'>) =>
  `${state.reportedAt}#${state.hazardId}`;

/** Port: the per-jurisdiction list of exposed hazards (ids only). */
export interface ExposureList {
  /** Lists the hazard; listing it again changes nothing. */
  add(entry: { jurisdiction: string; sortKey: string; hazardId: string }): Promise<void>;
  page(query: {
    jurisdiction: string;
    limit: number;
    cursor?: string;
  }): Promise<{ hazardIds: string[]; nextCursor?: string }>;
}

/**
 * What the public may read of an exposed hazard: the enterprise, the place, the office's
 * own description, what must be done by when, and how far it has come. Nothing from a tip
 * (no tip id, receipt, tipster or channel), no officer, no hazard id.
 */
export function exposedHazardView(state: HazardState) {
  const exposure = state.exposure;
  if (!exposure) throw new Error(`The hazard ${state.hazardId} is not exposed`);
  return {
    jurisdiction: state.jurisdiction,
    ...(exposure.enterpriseName ? { enterpriseName: exposure.enterpriseName } : {}),
    place: state.place,
    grade: state.grade,
    industry: state.industry,
    description: state.description,
    foundOn: foundOnOf(state),
    ...(state.measures ? { measures: state.measures } : {}),
    ...(state.round ? { deadline: state.round.deadline } : {}),
    status: state.status,
    ...(state.closedAt ? { closedAt: state.closedAt } : {}),
    exposedAt: exposure.approvedAt,
    documentNumber: exposure.documentNumber,
    ...(state.listedSupervision
      ? { listedSupervision: state.listedSupervision.documentNumber }
      : {}),
  };
}

export type ExposedHazard = ReturnType<typeof exposedHazardView>;

/** After a command: a hazard whose exposure is in force is listed (again: a retry repairs). */
export async function listIfExposed(list: ExposureList, state: HazardState): Promise<void> {
  if (!state.exposure) return;
  await list.add({
    jurisdiction: state.jurisdiction,
    sortKey: exposureSortKey(state),
    hazardId: state.hazardId,
  });
}

/**
 * One page of a jurisdiction's exposed hazards, as the public sees them. A listing whose
 * exposure was withdrawn shows nothing, so the list is read on (a few pages at most) until
 * the page has something to show or the list ends.
 */
export async function exposedHazards(
  deps: { list: ExposureList; events: Pick<EventStore, 'load'> },
  query: { jurisdiction: string; limit: number; cursor?: string },
): Promise<{ hazards: ExposedHazard[]; nextCursor?: string }> {
  const hazards: ExposedHazard[] = [];
  let cursor = query.cursor;
  for (let read = 0; read < 5 && hazards.length === 0; read += 1) {
    const page = await deps.list.page({ ...query, ...(cursor ? { cursor } : {}) });
    const states = await Promise.all(
      page.hazardIds.map((hazardId) => deps.events.load(hazardStream(hazardId), hazardProjection)),
    );
    for (const state of states.map((snapshot) => snapshot?.state)) {
      if (state?.exposure && state.jurisdiction === query.jurisdiction) {
        hazards.push(exposedHazardView(state));
      }
    }
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return { hazards, ...(cursor ? { nextCursor: cursor } : {}) };
}
