import { cstDate } from '@qingling/shared/calendar/calendar.ts';
import { bucketMonths, subtreeOf } from '@qingling/shared/hazards/statistics.ts';
import {
  reportWeek,
  weekAsOf,
  weekHolding,
  weeklyRows,
} from '@qingling/shared/hazards/weekly-report.ts';
import {
  weeklyReportFileName,
  weeklyReportWorkbook,
} from '@qingling/shared/hazards/weekly-report-workbook.ts';
import * as dependencies from '../dependencies.ts';
import { ApiFailure, FileReply } from '../http/api-handler.ts';
import { apiHandler } from '../http/statistics-api.ts';

const weekNotBegun = { zh: '这一周还没有开始。', en: 'That week has not begun yet.' };
const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * GET /api/office/statistics/weekly: the weekly report (周报) of a jurisdiction for any week,
 * by region down its tree, from the same counter items as the Monday message (every bucket
 * of the subtree read by key, whatever the number of hazards). With `format=xlsx` the same
 * table as an Excel file, answered as the file: a few rows.
 */
export const handler = apiHandler('getWeeklyReport', async ({ query }) => {
  const now = dependencies.clock().now();
  const week = query.week ? weekHolding(query.week) : reportWeek(now);
  if (week.from > cstDate(now)) {
    throw new ApiFailure('invalid_request', [{ path: 'week', message: weekNotBegun }]);
  }
  const jurisdictions = await dependencies.jurisdictions();
  const store = dependencies.hazardStatistics();
  const codes = subtreeOf(query.jurisdiction, jurisdictions);
  const months = bucketMonths(now);
  const [hazardBuckets, tipBuckets] = await Promise.all([
    store.buckets(codes, months),
    store.tipBuckets(codes, months),
  ]);
  const nameOf = (code: string) => jurisdictions.find((entry) => entry.code === code);
  const report = {
    jurisdiction: query.jurisdiction,
    week: { from: week.from, to: week.to },
    asOf: now.toISOString(),
    openAsOf: weekAsOf(week, now),
    rows: weeklyRows(hazardBuckets, tipBuckets, {
      jurisdiction: query.jurisdiction,
      tree: jurisdictions,
      week,
      now,
    }).map((row) => ({
      ...row,
      zh: nameOf(row.jurisdiction)?.zh ?? row.jurisdiction,
      en: nameOf(row.jurisdiction)?.en ?? row.jurisdiction,
    })),
  };
  if (query.format !== 'xlsx') return report;
  const place = nameOf(query.jurisdiction);
  const bytes = await weeklyReportWorkbook(report, {
    ...(place ? { jurisdictionName: { zh: place.zh, en: place.en } } : {}),
    madeAt: now,
  });
  return new FileReply(bytes, xlsxType, weeklyReportFileName(report));
});
