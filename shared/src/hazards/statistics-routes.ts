import * as z from 'zod/mini';
import type { RouteDefinition } from '../api/route-definition.ts';
import { code, said, withMeta } from '../api/validation.ts';

/** The statistics' route (issue 15): its query, its answer, its entry in the route table. */

const month = (example: string) =>
  withMeta(
    z
      .string()
      .check(
        z.regex(
          /^\d{4}-(0[1-9]|1[0-2])$/,
          said('月份格式应为 YYYY-MM。', 'The month must be YYYY-MM.'),
        ),
      ),
    { example },
  );

/** At most this many months in one period (the counters are per month). */
export const maxStatisticsMonths = 120;

/** json, or the same numbers as an .xlsx answered as the file itself. */
const answerFormat = (description: string) =>
  withMeta(
    z._default(
      z.enum(['json', 'xlsx'], said('格式应为 json 或 xlsx。', 'The format must be json or xlsx.')),
      'json',
    ),
    { description },
  );

export const periodBackwards = {
  zh: '起始月份不能晚于结束月份。',
  en: 'The first month must not be after the last.',
};

export const statisticsQuerySchema = z
  .object({
    jurisdiction: code('cq-gecheng'),
    /** Months found, inclusive; the handler defaults to the last three calendar years. */
    from: z.optional(month('2024-01')),
    to: z.optional(month('2026-12')),
    cutoff: z._default(
      z.iso.date(said('截止日期格式应为 YYYY-MM-DD。', 'The cut-off must be YYYY-MM-DD.')),
      '2024-01-01',
    ),
    format: answerFormat(
      'json: the answer below. xlsx: the same numbers as an Excel file (a sheet for each ' +
        'table of the statistics page, Chinese headers with English beneath), answered as ' +
        'the file itself (Content-Disposition: attachment).',
    ),
  })
  .check(
    z.refine(
      (query) => !query.from || !query.to || query.from <= query.to,
      said(periodBackwards.zh, periodBackwards.en),
    ),
    z.refine(
      (query) => {
        if (!query.from || !query.to) return true;
        const [fy, fm] = query.from.split('-').map(Number) as [number, number];
        const [ty, tm] = query.to.split('-').map(Number) as [number, number];
        return (ty - fy) * 12 + (tm - fm) < maxStatisticsMonths;
      },
      said(
        `统计期间最多 ${maxStatisticsMonths} 个月。`,
        `A period is at most ${maxStatisticsMonths} months.`,
      ),
    ),
  );

const countOf = z.number().check(z.int(), z.nonnegative());
const rowShape = {
  found: countOf,
  closed: countOf,
  open: countOf,
  closedOnTime: countOf,
  daysToClose: countOf,
  overdue: countOf,
  openMajor: countOf,
};
const money = z.object({ count: countOf, fen: countOf });
const moneyRowShape = {
  offered: money,
  noticedLate: money,
  claimed: money,
  paid: money,
  lapsed: money,
  open: money,
};
const tipRowShape = {
  received: countOf,
  employee: countOf,
  substantiated: countOf,
  rewarded: countOf,
};
const cohort = z.object({ found: countOf, closed: countOf, open: countOf });

export const statisticsSchema = withMeta(
  z.object({
    jurisdiction: z.string(),
    from: z.string(),
    to: z.string(),
    cutoff: z.string(),
    asOf: z.string(),
    totals: z.object(rowShape),
    regions: z.array(
      z.object({
        ...rowShape,
        jurisdiction: z.string(),
        zh: z.string(),
        en: z.string(),
        depth: countOf,
      }),
    ),
    units: withMeta(
      z.array(z.object({ ...rowShape, jurisdiction: z.string(), unit: z.string() })),
      {
        description:
          'Below each region, its villages and communities (村/社区): a row for each it ' +
          'lists, then any other its hazards name (renamed since; when any counts), then ' +
          'unit "" (hazards that name none). They add up to the region.',
      },
    ),
    industries: z.array(
      z.object({
        ...rowShape,
        industry: z.string(),
        grade: z.enum(['general', 'major']),
        zh: z.string(),
        en: z.string(),
      }),
    ),
    months: z.array(z.object({ month: z.string(), found: countOf, closed: countOf })),
    backlog: cohort,
    inflow: cohort,
    targets: z.array(
      z.object({
        id: z.enum(['backlog_cleared', 'inflow_curbed', 'major_zero']),
        due: z.string(),
        standing: z.enum(['met', 'met_late', 'pending', 'missed', 'not_applicable']),
        metOn: z.nullable(z.string()),
        value: countOf,
        baseline: z.optional(countOf),
        daysLeft: z.number().check(z.int()),
      }),
    ),
    tips: withMeta(
      z.object({
        totals: z.object(tipRowShape),
        channels: z.array(
          z.object({ ...tipRowShape, channel: z.enum(['web', 'hotline', 'letter', 'visit']) }),
        ),
        regions: z.array(
          z.object({ ...tipRowShape, jurisdiction: z.string(), zh: z.string(), en: z.string() }),
        ),
        months: z.array(z.object({ ...tipRowShape, month: z.string() })),
      }),
      {
        description:
          'Tips received in the period (months received, inclusive) by channel, region and ' +
          'month: of them, sent by employees, substantiated and rewarded (a reward or a ' +
          'joint share approved) as they stand now. Read from counters, as the hazards are.',
      },
    ),
    rewards: withMeta(
      z.object({
        totals: z.object(moneyRowShape),
        regions: z.array(
          z.object({ ...moneyRowShape, jurisdiction: z.string(), zh: z.string(), en: z.string() }),
        ),
      }),
      {
        description:
          'Tip rewards in the period, amounts in fen: offered (approved; noticedLate: of those, ' +
          'approved after their notice deadline), claimed, paid (by the ' +
          'date paid) and lapsed (by the last day to claim); open now, whatever the period. ' +
          'Read from the index of approved rewards per jurisdiction: bounded by the rewards.',
      },
    ),
    reads: withMeta(countOf, {
      description:
        'DynamoDB requests the answer took: BatchGetItem calls of 100 buckets (jurisdiction × month since 2019-01), for the hazards and for the tips.',
    }),
  }),
  {
    id: 'HazardStatistics',
    description:
      'Hazards found in the period (months found, inclusive) by region and industry, with ' +
      'how many are closed and open now, days to close and closings by the deadline; ' +
      'overdue and open major now, whatever the month found; backlog (found before the ' +
      'cut-off) against inflow; the campaign targets (RULES.md). Read from counters, so ' +
      'its cost does not grow with the number of hazards.',
  },
);

const zeroRow = {
  found: 3,
  closed: 2,
  open: 1,
  closedOnTime: 1,
  daysToClose: 24,
  overdue: 1,
  openMajor: 1,
};

const noHazards = Object.fromEntries(Object.keys(zeroRow).map((key) => [key, 0])) as Record<
  keyof typeof zeroRow,
  number
>;

const tipRow = { received: 4, employee: 1, substantiated: 2, rewarded: 1 };
const noTips = { received: 0, employee: 0, substantiated: 0, rewarded: 0 };

const rewardRow = {
  offered: { count: 2, fen: 2_400_000 },
  noticedLate: { count: 1, fen: 1_200_000 },
  claimed: { count: 1, fen: 1_200_000 },
  paid: { count: 1, fen: 1_200_000 },
  lapsed: { count: 0, fen: 0 },
  open: { count: 1, fen: 1_200_000 },
};

export const statisticsRoute = {
  operationId: 'getHazardStatistics',
  method: 'GET',
  path: '/api/office/statistics',
  handler: 'get-hazard-statistics',
  table: {
    read: ['JURISDICTION', 'HAZARD#STATS#*', 'TIP#STATS#*'],
    indexes: { gsi2: ['REWARDS#*'] },
  },
  access: {
    kind: 'signedIn',
    roles: ['officer', 'department_head', 'leader_in_charge', 'principal_leader'],
    scope: { in: 'query', field: 'jurisdiction' },
  },
  summary: {
    zh: '统计分析：分区域、分行业的隐患发现、整改销号与攻坚目标进度',
    en: 'Statistics by region and industry, and the campaign targets',
  },
  query: {
    schema: statisticsQuerySchema,
    example: { jurisdiction: 'cq-gecheng', from: '2026-01', to: '2026-12', cutoff: '2024-01-01' },
  },
  response: {
    status: 200,
    body: statisticsSchema,
    // format=xlsx (statistics-workbook.ts).
    files: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    example: {
      jurisdiction: 'cq-gecheng',
      from: '2026-01',
      to: '2026-12',
      cutoff: '2024-01-01',
      asOf: '2026-11-22T08:00:00.000Z',
      totals: zeroRow,
      regions: [
        { ...zeroRow, jurisdiction: 'cq-gecheng', zh: '葛城街道', en: 'Gecheng', depth: 0 },
      ],
      units: [
        { ...zeroRow, jurisdiction: 'cq-gecheng', unit: '东门社区' },
        { ...noHazards, jurisdiction: 'cq-gecheng', unit: '西门社区' },
      ],
      industries: [{ ...zeroRow, industry: 'fire', grade: 'major', zh: '消防', en: 'Fire' }],
      months: [{ month: '2026-11', found: 3, closed: 2 }],
      backlog: { found: 0, closed: 0, open: 0 },
      inflow: { found: 3, closed: 2, open: 1 },
      targets: [
        {
          id: 'backlog_cleared',
          due: '2024-12-31',
          standing: 'met',
          metOn: null,
          value: 0,
          daysLeft: -691,
        },
        {
          id: 'inflow_curbed',
          due: '2025-12-31',
          standing: 'met',
          metOn: '2025-12-31',
          value: 0,
          baseline: 0,
          daysLeft: -326,
        },
        {
          id: 'major_zero',
          due: '2026-12-31',
          standing: 'pending',
          metOn: null,
          value: 1,
          daysLeft: 39,
        },
      ],
      tips: {
        totals: tipRow,
        channels: [
          { ...tipRow, channel: 'web' },
          { ...noTips, channel: 'hotline' },
          { ...noTips, channel: 'letter' },
          { ...noTips, channel: 'visit' },
        ],
        regions: [{ ...tipRow, jurisdiction: 'cq-gecheng', zh: '葛城街道', en: 'Gecheng' }],
        months: [{ ...tipRow, month: '2026-11' }],
      },
      rewards: {
        totals: rewardRow,
        regions: [{ ...rewardRow, jurisdiction: 'cq-gecheng', zh: '葛城街道', en: 'Gecheng' }],
      },
      reads: 2,
    },
  },
} as const satisfies RouteDefinition;

export const weeklyReportQuerySchema = z.object({
  jurisdiction: code('cq-gecheng'),
  week: z.optional(
    withMeta(z.iso.date(said('日期格式应为 YYYY-MM-DD。', 'The date must be YYYY-MM-DD.')), {
      example: '2026-11-23',
      description:
        'Any day of the week asked for (Monday to Sunday, Beijing time); left out, the last ' +
        'week whose report has been sent.',
    }),
  ),
  format: answerFormat(
    'json: the answer below. xlsx: the same table as an Excel file (Chinese headers with ' +
      'English beneath), answered as the file itself (Content-Disposition: attachment).',
  ),
});

const weeklyShape = {
  found: countOf,
  closed: countOf,
  openMajor: countOf,
  overdue: countOf,
  escalations: countOf,
  tipsReceived: countOf,
  tipsSubstantiated: countOf,
};

export const weeklyReportSchema = withMeta(
  z.object({
    jurisdiction: z.string(),
    week: z.object({ from: z.string(), to: z.string() }),
    asOf: z.string(),
    openAsOf: z.string(),
    rows: z.array(
      z.object({
        ...weeklyShape,
        jurisdiction: z.string(),
        zh: z.string(),
        en: z.string(),
        depth: countOf,
      }),
    ),
  }),
  {
    description:
      'The weekly report (周报) leaders are sent each Monday, for reporting upward: each row ' +
      'counts a jurisdiction with those below it, the first the one asked for. found, closed, ' +
      'escalations, tipsReceived and tipsSubstantiated: in the week; openMajor and overdue: at ' +
      "24:00 CST of openAsOf, the week's Sunday (or, for the week under way, the last day " +
      'ended). asOf: when the report was made.',
  },
);

export const weeklyReportRoute = {
  operationId: 'getWeeklyReport',
  method: 'GET',
  path: '/api/office/statistics/weekly',
  handler: 'get-weekly-report',
  // The same counter items as the Monday message: hazards' and tips' buckets, by key.
  table: { read: ['JURISDICTION', 'HAZARD#STATS#*', 'TIP#STATS#*'] },
  access: statisticsRoute.access,
  summary: {
    zh: '周报：一周的隐患发现、销号、督办升级与举报，分区域，可导出 Excel 向上报送',
    en: 'The weekly report by region: found, closed, escalations and tips, as Excel to report upward',
  },
  query: {
    schema: weeklyReportQuerySchema,
    example: { jurisdiction: 'cq-gecheng', week: '2026-11-23', format: 'json' },
  },
  response: {
    status: 200,
    body: weeklyReportSchema,
    files: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    example: {
      jurisdiction: 'cq-gecheng',
      week: { from: '2026-11-23', to: '2026-11-29' },
      asOf: '2026-11-30T01:00:00.000Z',
      openAsOf: '2026-11-29',
      rows: [
        {
          jurisdiction: 'cq-gecheng',
          zh: '葛城街道',
          en: 'Gecheng',
          depth: 0,
          found: 3,
          closed: 2,
          openMajor: 1,
          overdue: 1,
          escalations: 2,
          tipsReceived: 4,
          tipsSubstantiated: 1,
        },
      ],
    },
  },
} as const satisfies RouteDefinition;

export const statisticsRoutes = [
  statisticsRoute,
  weeklyReportRoute,
] as const satisfies readonly RouteDefinition[];
