import { bucketMonths, subtreeOf } from '@qingling/shared/hazards/statistics.ts';
import {
  type ReportWeek,
  reportWeek,
  weeklyNumbers,
  weeklyReportKey,
  weeklyReportMessage,
  weeklyReportRecipients,
} from '@qingling/shared/hazards/weekly-report.ts';
import * as dependencies from '../dependencies.ts';
import { logger } from '../observability/logger.ts';

/**
 * The weekly report (issue 15): every Monday 09:00 CST (an EventBridge rule on AWS, a timer
 * on the embedded cloud's clock) each leader of each jurisdiction is sent the numbers of the
 * week that ended, for the jurisdiction and those below it, through the notification port.
 * Each message's key is jurisdiction + week + recipient: a retried or repeated run sends
 * nothing twice (the delivery ledger on AWS, the outbox locally, drop a key seen before).
 * The numbers come from the statistics' counters: every jurisdiction's buckets read once,
 * by key, whatever the number of hazards.
 */
export async function sendWeeklyReports(
  options: { siteUrl?: string | undefined } = {},
): Promise<{ week: ReportWeek; sent: number }> {
  const now = dependencies.clock().now();
  const week = reportWeek(now);
  const jurisdictions = await dependencies.jurisdictions();
  const codes = jurisdictions.map((jurisdiction) => jurisdiction.code);
  const store = dependencies.hazardStatistics();
  // Right after an upgrade that changed the counters' cells, until the reconciler has
  // rebuilt them, the buckets lack what the report counts (its open and overdue columns
  // would be wrong, and a week's messages go once): fail, for the retries and the alarm.
  if (!(await store.builtInCurrentFormat())) {
    throw new Error(
      'The statistics counters are being rebuilt after an upgrade: the weekly reports wait for the rebuild',
    );
  }
  const months = bucketMonths(now);
  const [hazardBuckets, tipBuckets] = await Promise.all([
    store.buckets(codes, months),
    store.tipBuckets(codes, months),
  ]);
  const notifier = dependencies.notifier();
  let sent = 0;
  for (const jurisdiction of jurisdictions) {
    const numbers = weeklyNumbers(hazardBuckets, tipBuckets, {
      jurisdictions: subtreeOf(jurisdiction.code, jurisdictions),
      week,
      now,
    });
    const message = weeklyReportMessage({
      jurisdiction: jurisdiction.code,
      name: { zh: jurisdiction.zh, en: jurisdiction.en },
      week,
      numbers,
      now,
      ...(options.siteUrl ? { siteUrl: options.siteUrl } : {}),
    });
    for (const recipient of weeklyReportRecipients) {
      await notifier.send({
        key: weeklyReportKey(jurisdiction.code, week, recipient),
        channel: 'email',
        to: `${recipient}@${jurisdiction.code}`,
        ...message,
      });
      sent += 1;
    }
  }
  logger.info('Weekly reports sent', { week: week.from, sent });
  return { week, sent };
}

/** The scheduled function (EventBridge, Monday 01:00 UTC = 09:00 CST). */
export async function handler(): Promise<{ week: string; sent: number }> {
  const result = await sendWeeklyReports({ siteUrl: process.env.SITE_URL });
  return { week: result.week.from, sent: result.sent };
}
