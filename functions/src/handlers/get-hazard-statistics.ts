import { cstDate } from '@qingling/shared/calendar/calendar.ts';
import { aggregate, bucketMonths, subtreeOf } from '@qingling/shared/hazards/statistics.ts';
import { periodBackwards } from '@qingling/shared/hazards/statistics-routes.ts';
import {
  statisticsContentType,
  statisticsFileName,
  statisticsWorkbook,
} from '@qingling/shared/hazards/statistics-workbook.ts';
import { rewardStatistics } from '@qingling/shared/tips/reward-statistics.ts';
import { aggregateTips } from '@qingling/shared/tips/tip-statistics.ts';
import * as dependencies from '../dependencies.ts';
import { ApiFailure, FileReply } from '../http/api-handler.ts';
import { apiHandler } from '../http/statistics-api.ts';

/**
 * GET /api/office/statistics: a jurisdiction's statistics, and those below it, from the
 * counter items: every bucket of the subtree's jurisdictions from the epoch to this month,
 * by key (BatchGetItem, 100 a call), whatever the number of hazards. With `format=xlsx`
 * the same answer as an Excel file, answered as the file: a few hundred rows, far below
 * what a Lambda answer holds, so no storage and no link are needed.
 */
export const handler = apiHandler('getHazardStatistics', async ({ query }) => {
  const now = dependencies.clock().now();
  const thisMonth = cstDate(now).slice(0, 7);
  const to = query.to ?? thisMonth;
  const from = query.from ?? `${Number(to.slice(0, 4)) - 2}-01`;
  // With `to` left to the clock, the schema could not compare them.
  if (from > to) {
    throw new ApiFailure('invalid_request', [{ path: 'from', message: periodBackwards }]);
  }
  const [jurisdictions, industries] = await Promise.all([
    dependencies.jurisdictions(),
    dependencies.industries(),
  ]);
  const codes = subtreeOf(query.jurisdiction, jurisdictions);
  const store = dependencies.hazardStatistics();
  const readsBefore = store.reads;
  const [buckets, tipBuckets, rewardEntries] = await Promise.all([
    store.buckets(codes, bucketMonths(now)),
    store.tipBuckets(codes, bucketMonths(now)),
    store.rewards(codes),
  ]);
  const tips = aggregateTips(tipBuckets, { jurisdictions: codes, from, to });
  const rewards = rewardStatistics(rewardEntries, { jurisdictions: codes, from, to, now });
  const statistics = aggregate(buckets, {
    jurisdictions: codes,
    from,
    to,
    cutoff: query.cutoff,
    now,
    units: Object.fromEntries(
      jurisdictions
        .filter((each) => codes.includes(each.code))
        .map((each) => [each.code, each.units]),
    ),
  });
  const depthOf = (code: string): number => {
    const entry = jurisdictions.find((item) => item.code === code);
    const parent =
      entry && jurisdictions.find((item) => item.code === entry.parent || item.zh === entry.parent);
    return parent && code !== query.jurisdiction ? depthOf(parent.code) + 1 : 0;
  };
  const answer = {
    jurisdiction: query.jurisdiction,
    from,
    to,
    cutoff: query.cutoff,
    asOf: now.toISOString(),
    ...statistics,
    regions: statistics.regions.map((row) => {
      const entry = jurisdictions.find((item) => item.code === row.jurisdiction);
      return {
        ...row,
        zh: entry?.zh ?? row.jurisdiction,
        en: entry?.en ?? row.jurisdiction,
        depth: depthOf(row.jurisdiction),
      };
    }),
    industries: statistics.industries.map((row) => {
      const entry = industries.find((item) => item.code === row.industry);
      return { ...row, zh: entry?.zh ?? row.industry, en: entry?.en ?? row.industry };
    }),
    tips: {
      ...tips,
      regions: tips.regions.map((row) => {
        const entry = jurisdictions.find((item) => item.code === row.jurisdiction);
        return { ...row, zh: entry?.zh ?? row.jurisdiction, en: entry?.en ?? row.jurisdiction };
      }),
    },
    rewards: {
      totals: rewards.totals,
      regions: rewards.regions.map((row) => {
        const entry = jurisdictions.find((item) => item.code === row.jurisdiction);
        return { ...row, zh: entry?.zh ?? row.jurisdiction, en: entry?.en ?? row.jurisdiction };
      }),
    },
    reads: store.reads - readsBefore,
  };
  if (query.format !== 'xlsx') return answer;
  const place = jurisdictions.find((item) => item.code === query.jurisdiction);
  const bytes = await statisticsWorkbook(answer, {
    ...(place ? { jurisdictionName: { zh: place.zh, en: place.en } } : {}),
    madeAt: now,
  });
  return new FileReply(bytes, statisticsContentType, statisticsFileName(answer));
});
