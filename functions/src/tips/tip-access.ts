import {
  checkProof,
  issueChallenge,
  proofChallengeHeader,
  proofHeader,
  proofKeyFrom,
} from '@qingling/shared/api/proof-of-work.ts';
import { appendWithRetry } from '@qingling/shared/event-log/append-with-retry.ts';
import type { NewEvent } from '@qingling/shared/event-log/event-log.ts';
import type { Snapshot } from '@qingling/shared/event-log/event-store.ts';
import {
  IdempotencyKeyReused,
  recordedUnder,
  sameRequest,
} from '@qingling/shared/event-log/idempotency.ts';
import type { LookupTier } from '@qingling/shared/ports/guessing-guard.ts';
import { tipIdFor } from '@qingling/shared/tips/keys.ts';
import { normalizeReceipt } from '@qingling/shared/tips/receipt.ts';
import { maxPhotoBytes, photoContentTypes } from '@qingling/shared/tips/schemas.ts';
import { tipProjection } from '@qingling/shared/tips/tip-projection.ts';
import { type TipMessage, type TipState, tipStream } from '@qingling/shared/tips/tip-state.ts';
import * as dependencies from '../dependencies.ts';
import { ApiFailure } from '../http/api-handler.ts';

/** The puzzle key, from the receipt key (one secret fewer to keep). */
async function proofKey(): Promise<Uint8Array<ArrayBuffer>> {
  return proofKeyFrom(await dependencies.receiptKeys().receiptKey());
}

/** A 429 that tells nothing about the receipt: when to retry, and a puzzle to come in now. */
async function refused(now: Date, retryAfterSeconds: number): Promise<ApiFailure> {
  const failure = ApiFailure.retryLater('too_many_attempts', retryAfterSeconds);
  failure.headers[proofChallengeHeader] = await issueChallenge(
    await proofKey(),
    now,
    dependencies.proofOfWorkBits(),
  );
  return failure;
}

/**
 * Checks and spends the solved puzzle a public request carries, if any. A request that
 * carries one must carry a good one: the per-address limit in front (WAF on AWS, the
 * embedded cloud's gate) lets such requests past, so a made-up header must buy nothing.
 */
export async function spendProof(
  headers: Record<string, string | undefined>,
  now: Date,
): Promise<'none' | 'spent'> {
  const proof = headers[proofHeader];
  if (proof === undefined) return 'none';
  const checked = await checkProof(await proofKey(), proof, now, dependencies.proofOfWorkBits());
  if (checked && (await dependencies.guessingGuard().spendProof(checked.id, checked.expiresAt))) {
    return 'spent';
  }
  throw await refused(now, 60);
}

/**
 * The tip a receipt opens, or a failure that says the same for a wrong receipt as for an
 * unknown one. Only answers that tell them apart are budgeted (GuessingGuard): the minute's
 * standing is read before the tip, so past the budget a right receipt is refused exactly
 * like a wrong one, and a solved puzzle takes the look-up into the proven budget.
 */
export async function tipByReceipt(
  typedReceipt: string,
  headers: Record<string, string | undefined> = {},
): Promise<{ tipId: string; snapshot: Snapshot<TipState> }> {
  const receipt = normalizeReceipt(typedReceipt);
  if (!receipt) throw new ApiFailure('receipt_invalid');
  const guard = dependencies.guessingGuard();
  const now = dependencies.clock().now();
  const proven = (await spendProof(headers, now)) === 'spent';
  const standing = await guard.standing(now);
  const tier: LookupTier | null = standing.open
    ? 'open'
    : proven && standing.proven
      ? 'proven'
      : null;
  if (!tier) throw await refused(now, standing.retryAfterSeconds);
  const tipId = await tipIdFor(await dependencies.receiptKeys().receiptKey(), receipt);
  const snapshot = await dependencies.eventStore().load(tipStream(tipId), tipProjection);
  if (!snapshot) {
    const { overBudget, retryAfterSeconds } = await guard.recordFailure(now, tier);
    // Counted past the budget (a race with other look-ups): answered as if refused before.
    if (overBudget) throw await refused(now, retryAfterSeconds);
    throw new ApiFailure('tip_not_found');
  }
  return { tipId, snapshot };
}

/** Where the browser posts each photo: an incoming/ key the photo processor picks up. */
export async function photoUploadForms(tipId: string, photoIds: readonly string[]) {
  const store = dependencies.blobStore();
  return Promise.all(
    photoIds.map(async (photoId) => ({
      photoId,
      ...(await store.createUploadForm({
        key: `incoming/tips/${tipId}/${photoId}`,
        contentTypes: photoContentTypes,
        maxBytes: maxPhotoBytes,
        expiresInSeconds: 3600,
      })),
    })),
  );
}

/** The tip for an officer, or 404 when it is outside their jurisdictions (no existence leak). */
export async function tipForJurisdictionsOf(
  tipId: string,
  jurisdictions: readonly string[],
): Promise<Snapshot<TipState>> {
  const snapshot = await dependencies.eventStore().load(tipStream(tipId), tipProjection);
  if (!snapshot || !jurisdictions.includes(snapshot.state.jurisdiction)) {
    throw new ApiFailure('not_found');
  }
  return snapshot;
}

/**
 * Appends a question or an answer to a tip, retrying when someone else appended first
 * (the event store refuses a stale append), and answers with the message as recorded:
 * 201 the first time, 200 with the same message on a retry with the same key, 409
 * (IdempotencyKeyReused) for the same key with other words.
 */
export async function appendMessage(
  tipId: string,
  snapshot: Snapshot<TipState>,
  event: NewEvent & { idempotencyKey: string },
): Promise<{ status: number; body: Omit<TipMessage, 'askedBy'> | TipMessage }> {
  const store = dependencies.eventStore();
  const result = await appendWithRetry(store, tipProjection, snapshot, () => event, {
    attempts: 5,
  });
  if (result.kind !== 'appended' && result.kind !== 'duplicate') throw new ApiFailure('conflict');
  // A retry is answered with the message it wrote; the key reused for other words is
  // refused. The recorded words are compared as they are: no digest of them is kept.
  const recorded =
    result.kind === 'appended'
      ? result.event
      : await recordedUnder(store, tipStream(tipId), event.idempotencyKey);
  if (recorded && !sameRequest(recorded, event)) throw new IdempotencyKeyReused();
  const sequence = recorded?.sequence;
  const message = result.snapshot.state.messages.find(
    (candidate) => candidate.messageId === `m${sequence}`,
  );
  if (!message) throw new ApiFailure('conflict');
  return { status: result.kind === 'appended' ? 201 : 200, body: message };
}
