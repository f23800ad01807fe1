import { hazardStream } from '@qingling/shared/hazards/hazard-stream.ts';
import * as dependencies from '../dependencies.ts';
import { ApiFailure } from '../http/api-handler.ts';

/**
 * Refuses (404, no existence leak) a hazard that is not in one of the jurisdictions given.
 * A hazard's jurisdiction is fixed by the event it began with, so the check reads that one
 * item and no projection: a function that only names hazards (a tip's finding) ships
 * without the hazard record's code (issue 13, bundle sizes).
 */
export async function hazardInJurisdictions(
  hazardId: string,
  jurisdictions: readonly string[],
): Promise<void> {
  const first = await dependencies.eventStore().firstEvent(hazardStream(hazardId));
  const jurisdiction =
    first?.type === 'hazard_reported'
      ? (first.data as { jurisdiction?: unknown } | undefined)?.jurisdiction
      : undefined;
  if (typeof jurisdiction !== 'string' || !jurisdictions.includes(jurisdiction)) {
    throw new ApiFailure('not_found');
  }
}
