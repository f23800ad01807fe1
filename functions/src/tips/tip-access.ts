import type { NewEvent } from '@qingling/shared/event-log/event-log.ts';
import type { AppendResult, Snapshot } from '@qingling/shared/event-log/event-store.ts';
import { tipIdFor } from '@qingling/shared/tips/keys.ts';
import { normalizeReceipt } from '@qingling/shared/tips/receipt.ts';
import { maxPhotoBytes, photoContentTypes } from '@qingling/shared/tips/schemas.ts';
import {
  type TipMessage,
  type TipState,
  tipProjection,
  tipStream,
} from '@qingling/shared/tips/tip.ts';
import { dependencies } from '../dependencies.ts';
import { ApiFailure } from '../http/api-handler.ts';

/**
 * The tip a receipt opens, or a failure that says the same for a wrong receipt as for an
 * unknown one. Failures count against the deployment's guessing budget.
 */
export async function tipByReceipt(
  typedReceipt: string,
): Promise<{ tipId: string; snapshot: Snapshot<TipState> }> {
  const receipt = normalizeReceipt(typedReceipt);
  if (!receipt) throw new ApiFailure('receipt_invalid');
  const tipId = await tipIdFor(await dependencies.receiptKeys().receiptKey(), receipt);
  const snapshot = await dependencies.eventStore().load(tipStream(tipId), tipProjection);
  if (!snapshot) {
    const { overBudget, retryAfterSeconds } = await dependencies
      .guessingGuard()
      .recordFailure(dependencies.clock().now());
    if (overBudget) throw ApiFailure.retryLater('too_many_attempts', retryAfterSeconds);
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
 * 201 the first time, 200 with the same message on a retry with the same key.
 */
export async function appendMessage(
  tipId: string,
  snapshot: Snapshot<TipState>,
  event: NewEvent & { idempotencyKey: string },
): Promise<{ status: number; body: Omit<TipMessage, 'askedBy'> | TipMessage }> {
  const store = dependencies.eventStore();
  let expected: Snapshot<TipState> | null = snapshot;
  for (let attempt = 0; attempt < 5 && expected; attempt += 1) {
    const result: AppendResult<TipState> = await store.append(
      tipStream(tipId),
      expected,
      event,
      tipProjection,
    );
    if (result.kind === 'conflict') {
      expected = result.current;
      continue;
    }
    const sequence =
      result.kind === 'appended'
        ? result.event.sequence
        : (await store.read(tipStream(tipId))).find(
            (recorded) => recorded.idempotencyKey === event.idempotencyKey,
          )?.sequence;
    const message = result.snapshot.state.messages.find(
      (candidate) => candidate.messageId === `m${sequence}`,
    );
    if (!message) break;
    return { status: result.kind === 'appended' ? 201 : 200, body: message };
  }
  throw new ApiFailure('conflict');
}
