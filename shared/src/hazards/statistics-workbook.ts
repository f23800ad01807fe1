import { Writable } from 'node:stream';
import { cstMinute } from '../calendar/cst-minute.ts';
import type { Bilingual } from '../i18n/text.ts';
import { defuse } from '../spreadsheets/defuse.ts';
import { type Cell, type CellStyle, columnName, XlsxWriter } from '../spreadsheets/xlsx-writer.ts';
import {
  type HazardStatistics,
  meanDays,
  onTimeShare,
  type StatisticsRow,
  targetTiming,
} from './statistics-figures.ts';
import { rewardWords, words } from './statistics-words.ts';

/**
 * The statistics page's numbers as an .xlsx, for reporting upward (issue 15; the money of
 * issue 16): a sheet for each of the page's tables (targets, by region, by industry, by
 * month, backlog and inflow, tips by channel, reward money), each with a title, the
 * jurisdiction, the period and when it was made (CST), then a frozen header row in Chinese
 * with English beneath. Numbers are numbers (amounts in yuan, two decimals); text is
 * defused so that no cell is read as a formula. A few hundred rows: made in memory.
 */

export interface StatisticsHeading {
  /** The jurisdiction's name, when known (else its code stands in the title). */
  jurisdictionName?: Bilingual;
  madeAt: Date;
}

export const statisticsContentType =
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The header row of every sheet (after the title, the banner and a note). */
export const statisticsHeaderRow = 4;

/** The sheets, in order: their names (Excel allows 31 characters, no : \ / ? * [ ]). */
export const statisticsSheets = {
  targets: '攻坚目标 Targets',
  regions: '分区域 By region',
  // No "/" in a sheet's name: 村/社区 is written 村社区 here.
  units: '分村社区 By unit',
  industries: '分行业 By industry',
  months: '按月 By month',
  cohorts: '存量与增量 Backlog-inflow',
  tips: '举报 Tips by channel',
  rewards: '奖励资金 Rewards',
} as const;

const styles = [
  { font: { bold: true, size: 14 }, alignment: { horizontal: 'left', vertical: 'center' } },
  { font: { size: 10 }, alignment: { horizontal: 'left', vertical: 'center', wrapText: true } },
  {
    font: { bold: true },
    fill: 'FFDDEBF7',
    border: 'thin',
    alignment: { horizontal: 'center', vertical: 'center', wrapText: true },
  },
  { border: 'thin', alignment: { vertical: 'top', wrapText: true } },
  { border: 'thin', alignment: { vertical: 'top' }, numberFormat: '0' },
  { border: 'thin', alignment: { vertical: 'top' }, numberFormat: '0.0' },
  { border: 'thin', alignment: { vertical: 'top' }, numberFormat: '#,##0.00' },
  { font: { bold: true }, border: 'thin', alignment: { vertical: 'top', wrapText: true } },
] as const satisfies readonly CellStyle[];
const style = { title: 1, banner: 2, header: 3, text: 4, count: 5, decimal: 6, yuan: 7, total: 8 };

/** Both languages in one cell: Chinese, English beneath. */
const both = (words: Bilingual) => (words.en ? `${words.zh}\n${words.en}` : words.zh);
export const textCell = (value: string, bold = false): Cell => ({
  value: defuse(value),
  style: bold ? style.total : style.text,
});
export const countCell = (value: number): Cell => ({ value, style: style.count });
/** Empty when there is nothing to divide (as the page shows "—"). */
const decimalCell = (value: number | null): Cell => ({ value, style: style.decimal });
const yuanCell = (fen: number): Cell => ({ value: fen / 100, style: style.yuan });

export interface SheetPlan {
  name: string;
  title: Bilingual;
  note?: Bilingual;
  headers: readonly Bilingual[];
  widths: readonly number[];
  rows: readonly (readonly Cell[])[];
}

const figureHeaders = [
  words.found,
  words.closed,
  words.open,
  words.overdue,
  words.openMajor,
  words.meanDays,
  { zh: `${words.onTime.zh}（%）`, en: `${words.onTime.en} (%)` },
];
const figureCells = (row: StatisticsRow): Cell[] => [
  countCell(row.found),
  countCell(row.closed),
  countCell(row.open),
  countCell(row.overdue),
  countCell(row.openMajor),
  decimalCell(meanDays(row)),
  decimalCell(onTimeShare(row)),
];
const tipKeys = ['received', 'employee', 'substantiated', 'rewarded'] as const;
const tipHeaders = [
  words.tipsReceived,
  words.tipsEmployee,
  words.tipsSubstantiated,
  words.tipsRewarded,
];
const moneyKeys = ['offered', 'noticedLate', 'claimed', 'paid', 'lapsed', 'open'] as const;
type MoneyRow = HazardStatistics['rewards']['totals'];
const moneyCells = (row: MoneyRow): Cell[] =>
  moneyKeys.flatMap((key) => [countCell(row[key].count), yuanCell(row[key].fen)]);

/** The sheets of one answer: the page's tables, row for row. */
export function statisticsSheetPlans(statistics: HazardStatistics): SheetPlan[] {
  const s = statistics;
  const totalLabel = both(words.total);
  return [
    {
      name: statisticsSheets.targets,
      title: words.targets,
      headers: [words.target, words.due, words.standing, words.timing, words.value, words.baseline],
      widths: [44, 12, 16, 36, 12, 14],
      rows: s.targets.map((target) => [
        textCell(both(words[`target_${target.id}`])),
        textCell(target.due),
        textCell(both(words[`standing_${target.standing}`])),
        textCell(both(targetTiming(target))),
        countCell(target.value),
        ...(target.baseline === undefined ? [] : [countCell(target.baseline)]),
      ]),
    },
    {
      name: statisticsSheets.regions,
      title: words.byRegion,
      headers: [words.region, { zh: '代码', en: 'Code' }, ...figureHeaders],
      widths: [26, 20, 10, 10, 10, 12, 14, 14, 14],
      rows: [
        ...s.regions.map((row) => [
          // The tree's depth as indentation, as on the page.
          textCell(`${'　'.repeat(row.depth)}${row.zh}\n${'　'.repeat(row.depth)}${row.en}`),
          textCell(row.jurisdiction),
          ...figureCells(row),
        ]),
        [textCell(totalLabel, true), textCell(''), ...figureCells(s.totals)],
      ],
    },
    {
      name: statisticsSheets.units,
      title: words.byUnit,
      headers: [words.region, words.unit, ...figureHeaders],
      widths: [26, 18, 10, 10, 10, 12, 14, 14, 14],
      // Each region's units in the page's order, the hazards naming none last.
      rows: s.units.map((row) => {
        const region = s.regions.find((each) => each.jurisdiction === row.jurisdiction);
        return [
          textCell(region ? both(region) : row.jurisdiction),
          textCell(row.unit || both(words.noUnit)),
          ...figureCells(row),
        ];
      }),
    },
    {
      name: statisticsSheets.industries,
      title: words.byIndustry,
      headers: [words.industry, { zh: '代码', en: 'Code' }, words.grade, ...figureHeaders],
      widths: [26, 18, 10, 10, 10, 10, 12, 14, 14, 14],
      rows: s.industries.map((row) => [
        textCell(both(row)),
        textCell(row.industry),
        textCell(both(words[row.grade])),
        ...figureCells(row),
      ]),
    },
    {
      name: statisticsSheets.months,
      title: words.byMonth,
      headers: [words.month, words.foundInMonth, words.closedInMonth],
      widths: [12, 16, 16],
      rows: s.months.map((row) => [
        textCell(row.month),
        countCell(row.found),
        countCell(row.closed),
      ]),
    },
    {
      name: statisticsSheets.cohorts,
      title: {
        zh: `${words.backlogInflow.zh}（${words.cutoff.zh} ${s.cutoff}）`,
        en: `${words.backlogInflow.en} (${words.cutoff.en} ${s.cutoff})`,
      },
      note: words.cutoffHint,
      headers: [words.cohort, words.found, words.closed, words.open],
      widths: [16, 10, 10, 10],
      rows: (['backlog', 'inflow'] as const).map((key) => [
        textCell(both(words[key])),
        countCell(s[key].found),
        countCell(s[key].closed),
        countCell(s[key].open),
      ]),
    },
    {
      name: statisticsSheets.tips,
      title: words.tipsByChannel,
      note: words.tipsNote,
      headers: [words.channel, ...tipHeaders],
      widths: [18, 10, 16, 14, 14],
      rows: [
        ...s.tips.channels.map((row) => [
          textCell(both(words[`channel_${row.channel}`])),
          ...tipKeys.map((key) => countCell(row[key])),
        ]),
        [textCell(totalLabel, true), ...tipKeys.map((key) => countCell(s.tips.totals[key]))],
      ],
    },
    {
      name: statisticsSheets.rewards,
      title: rewardWords.heading,
      note: rewardWords.note,
      headers: [
        rewardWords.region,
        { zh: '代码', en: 'Code' },
        ...moneyKeys.flatMap((key) => [
          { zh: `${rewardWords[key].zh} 笔数`, en: `${rewardWords[key].en}: count` },
          { zh: `${rewardWords[key].zh} 金额（元）`, en: `${rewardWords[key].en}: yuan` },
        ]),
      ],
      widths: [22, 20, ...moneyKeys.flatMap(() => [10, 14])],
      rows: [
        ...s.rewards.regions.map((row) => [
          textCell(both(row)),
          textCell(row.jurisdiction),
          ...moneyCells(row),
        ]),
        [textCell(totalLabel, true), textCell(''), ...moneyCells(s.rewards.totals)],
      ],
    },
  ];
}

/** The file's name: 统计分析_cq-gecheng_2024-01_2026-12.xlsx. */
export const statisticsFileName = (statistics: HazardStatistics) =>
  `统计分析_${statistics.jurisdiction}_${statistics.from}_${statistics.to}.xlsx`;

/** Writes the workbook of one statistics answer; resolves with the file's bytes. */
export async function statisticsWorkbook(
  statistics: HazardStatistics,
  heading: StatisticsHeading,
): Promise<Uint8Array> {
  const name = heading.jurisdictionName;
  const place = name
    ? `${name.zh} ${name.en}（${statistics.jurisdiction}）`
    : statistics.jurisdiction;
  return plannedWorkbook(statisticsSheetPlans(statistics), {
    title: `${name?.zh ?? statistics.jurisdiction} 统计分析`,
    banner:
      `辖区 Jurisdiction：${place}    ` +
      `统计期间 Period：${statistics.from} 至 ${statistics.to}（按发现月份 by month found）    ` +
      `存量截止 Backlog cut-off：${statistics.cutoff}    ` +
      `制表时间 Made：${cstMinute(heading.madeAt)}（北京时间 CST）`,
    madeAt: heading.madeAt,
  });
}

/**
 * A workbook of planned sheets, each with a title row (`title · the sheet's title`), the
 * banner (jurisdiction, period, when made), the sheet's note, then its frozen header row and
 * its rows; resolves with the file's bytes.
 */
export async function plannedWorkbook(
  plans: readonly SheetPlan[],
  heading: { title: string; banner: string; madeAt: Date },
): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  const workbook = new XlsxWriter(output, {
    styles,
    creator: '清零 Qingling',
    created: heading.madeAt,
  });
  for (const plan of plans) {
    const last = columnName(plan.headers.length - 1);
    const sheet = workbook.addSheet(plan.name, {
      columnWidths: plan.widths,
      frozen: { rows: statisticsHeaderRow, columns: 1 },
      landscapeFitToWidth: true,
    });
    const mergedRow = async (text: string, cellStyle: number, height: number) => {
      await sheet.addRow([{ value: defuse(text), style: cellStyle }], { height });
      sheet.mergeCells(`A${sheet.rowCount}:${last}${sheet.rowCount}`);
    };
    await mergedRow(`${heading.title} · ${plan.title.zh}　${plan.title.en}`, style.title, 24);
    await mergedRow(heading.banner, style.banner, 30);
    await mergedRow(plan.note ? `${plan.note.zh}　${plan.note.en}` : '', style.banner, 30);
    await sheet.addRow(plan.headers.map(both), { height: 32, style: style.header });
    for (const row of plan.rows) await sheet.addRow(row);
    await sheet.end();
  }
  await workbook.end();
  return Buffer.concat(chunks);
}
