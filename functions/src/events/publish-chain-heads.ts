import { type Publication, publishDueDay } from '@qingling/shared/chain-heads/publication.ts';
import * as dependencies from '../dependencies.ts';
import { logger } from '../observability/logger.ts';

/**
 * Publishes the root over the chain heads of the CST day that ended last (EventBridge, daily at 00:05
 * CST; the embedded cloud calls it on its heartbeat). Idempotent: once the day is
 * published, another call writes nothing.
 */
export async function handler(): Promise<{ kind: Publication['kind']; date: string }> {
  const result = await publishDueChainHeads();
  return { kind: result.kind, date: result.day.date };
}

export async function publishDueChainHeads(): Promise<Publication> {
  const jurisdictions = await dependencies.jurisdictions();
  const result = await publishDueDay({
    store: dependencies.chainHeads(),
    now: dependencies.clock().now(),
    jurisdictions: jurisdictions.map((jurisdiction) => jurisdiction.code),
  });
  if (result.kind === 'published') {
    const { date, root, digest, count, pages } = result.day;
    logger.info('Chain heads published', { date, root, digest, count, pages: pages.length });
  }
  return result;
}
