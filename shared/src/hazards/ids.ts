import { contentDigest } from '../tips/keys.ts';

/**
 * A hazard's id (26 base32 characters), drawn from what makes it one: the jurisdiction and
 * the submission's identity (the client's idempotency key, or a spreadsheet row's own
 * number for its enterprise). The same submission, retried or imported again, lands on
 * the same id, so it is stored once.
 */
export function hazardIdFor(jurisdiction: string, identity: string): Promise<string> {
  return contentDigest(`hazard:${jurisdiction}:${identity}`);
}
