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

/**
 * The id of the hazard a tip becomes: drawn from the tip alone, so a tip is at most one
 * hazard. Every attempt to record it (a second click, another officer, another key) lands
 * on the same log, whose first append is conditional: only one can write it.
 */
export function hazardIdForTip(jurisdiction: string, tipId: string): Promise<string> {
  return hazardIdFor(jurisdiction, `tip:${tipId}`);
}
