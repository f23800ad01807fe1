import { proveInclusion } from '@qingling/shared/chain-heads/inclusion.ts';
import { verifyChain } from '@qingling/shared/event-log/event-log.ts';
import { photosOfEvent } from '@qingling/shared/hazards/evidence.ts';
import { hazardStream } from '@qingling/shared/hazards/hazard.ts';
import * as dependencies from '../dependencies.ts';
import { apiHandler } from '../http/hazard-log-api.ts';

/**
 * GET /api/office/hazards/{hazardId}/log: the whole log with every event's previous hash
 * and hash, so that anyone can recompute the chain, and the inclusion proof of its head in
 * the latest published day's root (null when the hazard is not in that day), and every
 * evidence photo with the hash its event recorded.
 */
export const handler = apiHandler('exportHazardLog', async ({ record }) => {
  const hazardId = record.state.hazardId;
  const events = await dependencies.eventStore().read(hazardStream(hazardId));
  const chain = await verifyChain(events);
  return {
    hazardId,
    exportedAt: dependencies.clock().now().toISOString(),
    chain: chain.valid
      ? { valid: true, head: chain.head }
      : { valid: false, brokenAt: chain.brokenAt, reason: chain.reason },
    inclusion: await proveInclusion(dependencies.chainHeads(), hazardId, events),
    events: events.map((event) => ({ ...event })),
    photos: events.flatMap((event) =>
      photosOfEvent(event).map((photo) => ({
        sequence: event.sequence,
        type: event.type,
        key: photo.key,
        sha256: photo.sha256,
      })),
    ),
  };
});
