import { cstDate } from '@qingling/shared/calendar/calendar.ts';
import { canonicalJson } from '@qingling/shared/event-log/canonical-json.ts';
import type { Actor } from '@qingling/shared/event-log/event-log.ts';
import { receiptFor, tipContentDigest, tipIdFor } from '@qingling/shared/tips/keys.ts';
import type { CreateTip } from '@qingling/shared/tips/schemas.ts';
import { defaultTipTimeLimits, tipDeadline } from '@qingling/shared/tips/time-limits.ts';
import {
  type TipReceived,
  tipProjection,
  tipStream,
  waitingPhotoSlots,
} from '@qingling/shared/tips/tip.ts';
import * as dependencies from '../dependencies.ts';
import { ApiFailure } from '../http/api-handler.ts';
import { unknownJurisdictionMessage } from '../http/known-jurisdiction.ts';
import { count } from '../observability/metrics.ts';
import { photoUploadForms } from './tip-access.ts';

/** The lifecycle generation a tip's receipt claims (TipReceived.lifecycleGeneration). */
const firstGeneration = 1;

/**
 * Receives a tip from any channel: the web form (anonymous) or an officer entering a
 * hotline call, a letter or a visit. Two sequential writes (the first event, then the
 * state) and no read; a retry with the same idempotency key gets the same receipt and
 * stores nothing. Then the tip's lifecycle starts: its acceptance limit runs from now.
 * The receipt claims the lifecycle's first generation, so the start reads nothing and its
 * first turn writes only its wait: three writes in all (issue 13; the bench counts them).
 */
export async function receiveTip(body: CreateTip, channel: TipReceived['channel'], actor: Actor) {
  const now = dependencies.clock().now();
  const { idempotencyKey, contactPhone, photoCount, ...tip } = body;
  await refuseUnknownOrFuture(tip, now);

  const key = await dependencies.receiptKeys().receiptKey();
  const receipt = await receiptFor(key, idempotencyKey);
  const tipId = await tipIdFor(key, receipt);
  // The reward phone is not in the digest, only whether there is one: a digest of it, keyed
  // or not, would let whoever holds the key and reads the table try every mobile number.
  const digest = await tipContentDigest(
    key,
    canonicalJson({ ...tip, hasContactPhone: Boolean(contactPhone), photoCount, channel }),
  );
  const photoIds = Array.from({ length: photoCount }, (_, index) => `p${index + 1}`);
  const received: TipReceived = {
    ...tip,
    tipId,
    channel,
    ...(contactPhone
      ? { contactSealed: await dependencies.contactVault().seal(contactPhone) }
      : {}),
    photoIds,
    contentDigest: digest,
    // Working days by the calendar in force (an administrator's years over the seed).
    acceptDeadline: tipDeadline(
      defaultTipTimeLimits.accept,
      now,
      await dependencies.policies().calendar(),
    ).toISOString(),
    lifecycleGeneration: firstGeneration,
  };

  const result = await dependencies.eventStore().append(
    tipStream(tipId),
    null,
    {
      type: 'tip_received',
      at: now.toISOString(),
      actor,
      data: received,
      idempotencyKey: 'tip_received',
    },
    tipProjection,
  );
  if (result.kind === 'appended') {
    count('TipsReceived');
    const workflow = dependencies.tipWorkflow();
    await (workflow.begin ? workflow.begin(tipId, firstGeneration) : workflow.wake(tipId));
    return {
      status: 201,
      body: {
        receipt,
        receivedAt: result.snapshot.state.receivedAt,
        photoUploads: await photoUploadForms(tipId, photoIds),
        duplicate: false,
      },
    };
  }
  const current = result.kind === 'duplicate' ? result.snapshot : result.current;
  if (!current || current.state.contentDigest !== digest)
    throw new ApiFailure('idempotency_mismatch');
  // A retry may follow a crash before the lifecycle started: waking again is harmless.
  await dependencies.tipWorkflow().wake(tipId);
  const pending = waitingPhotoSlots(current.state);
  return {
    status: 200,
    body: {
      receipt,
      receivedAt: current.state.receivedAt,
      photoUploads: await photoUploadForms(tipId, pending),
      duplicate: true,
    },
  };
}

async function refuseUnknownOrFuture(
  tip: { jurisdiction: string; industry: string; seenOn: string },
  now: Date,
): Promise<void> {
  const issues = [];
  const jurisdictions = await dependencies.jurisdictions();
  if (!jurisdictions.some((jurisdiction) => jurisdiction.code === tip.jurisdiction)) {
    issues.push({
      path: 'jurisdiction',
      message: { ...unknownJurisdictionMessage },
    });
  }
  if (!(await dependencies.industries()).some((industry) => industry.code === tip.industry)) {
    issues.push({
      path: 'industry',
      message: { zh: '没有这个行业领域。', en: 'There is no such industry.' },
    });
  }
  if (tip.seenOn > cstDate(now)) {
    issues.push({
      path: 'seenOn',
      message: { zh: '发现日期不能晚于今天。', en: 'The date seen cannot be in the future.' },
    });
  }
  if (issues.length) throw new ApiFailure('invalid_request', issues);
}
