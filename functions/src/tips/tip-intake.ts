import { cstDate } from '@qingling/shared/calendar/calendar.ts';
import type { Actor } from '@qingling/shared/event-log/event-log.ts';
import { defaultEscalationPolicy } from '@qingling/shared/hazards/escalation.ts';
import { receiveTip as receive } from '@qingling/shared/tips/intake.ts';
import type { CreateTip } from '@qingling/shared/tips/schemas.ts';
import type { TipReceived } from '@qingling/shared/tips/tip-state.ts';
import * as dependencies from '../dependencies.ts';
import { ApiFailure } from '../http/api-handler.ts';
import { unitIssue, unknownJurisdictionMessage } from '../http/known-jurisdiction.ts';
import { count } from '../observability/metrics.ts';
import { photoUploadForms } from './tip-access.ts';

/**
 * A tip from any channel, as the API answers it: checked against the reference data, then
 * received by the domain (tips/intake.ts); 201 with a form for every photo the first time,
 * 200 with forms for the photos still waiting on a retry with the same key.
 */
export async function receiveTip(body: CreateTip, channel: TipReceived['channel'], actor: Actor) {
  const now = dependencies.clock().now();
  await refuseUnknownOrFuture(body, now);
  const intake = await receive(
    {
      events: dependencies.eventStore(),
      receiptKeys: dependencies.receiptKeys(),
      contactVault: dependencies.contactVault(),
      calendar: () => dependencies.policies().calendar(),
      acceptDays: async (jurisdiction) =>
        (await dependencies.policies().escalationPolicy(jurisdiction)).tipLimits?.acceptDays,
      // The tip lifecycle's Plan keeps these too (workflow/lifecycle-task.ts).
      officeHours: defaultEscalationPolicy.officeHours,
      workflow: dependencies.tipWorkflow(),
    },
    { submission: body, channel, actor, now },
  );
  if (intake.kind === 'other_content') throw new ApiFailure('idempotency_mismatch');
  if (intake.kind === 'received') count('TipsReceived');
  return {
    status: intake.kind === 'received' ? 201 : 200,
    body: {
      receipt: intake.receipt,
      receivedAt: intake.state.receivedAt,
      photoUploads: await photoUploadForms(intake.tipId, intake.photoIds),
      duplicate: intake.kind === 'duplicate',
    },
  };
}

async function refuseUnknownOrFuture(
  tip: { jurisdiction: string; industry: string; seenOn: string; unit?: string | undefined },
  now: Date,
): Promise<void> {
  const issues = [];
  const jurisdiction = (await dependencies.jurisdictions()).find(
    (known) => known.code === tip.jurisdiction,
  );
  if (!jurisdiction) {
    issues.push({
      path: 'jurisdiction',
      message: { ...unknownJurisdictionMessage },
    });
  } else {
    // The form offers the jurisdiction's own villages and communities; nothing else is one.
    const unit = unitIssue(jurisdiction, tip.unit);
    if (unit) issues.push(unit);
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
