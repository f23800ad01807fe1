/**
 * Expiry of the table's bookkeeping items by DynamoDB Time to Live (infra/table-design.ts
 * declares the table's TTL on this attribute). Only items that matter for a while carry
 * it: the look-up guard's per-minute counters and spent puzzles (guessing-guard.ts) and
 * the delivery ledger (delivery-ledger.ts). Records never do: event logs, STATE, WAIT,
 * policies, chain heads, enterprises, reference data.
 *
 * The value is a Number of epoch seconds (TTL ignores any other type, so an ISO string
 * such as a puzzle's `expiresAt` never deletes anything). DynamoDB deletes an item some
 * time after that second, typically within days, and until then reads still return it:
 * the lifetimes below are "kept at least", and nothing relies on the deletion happening.
 *
 * The name is deliberately not `expiresAt`, which the domain uses for other things (proof
 * of work, access links): an item that carried a numeric `expiresAt` for its own reasons
 * must not be deleted by it.
 *
 * dynalite (the embedded cloud) has no Time to Live: there these items stay. See
 * infra/table-design.ts for why that is bounded.
 */
export const expiryAttribute = 'deleteAfter';

/** Epoch seconds of a time, rounded up: an item never goes before the time asked. */
export const epochSeconds = (at: Date): number => Math.ceil(at.getTime() / 1000);
