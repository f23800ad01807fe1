import { cstMinute } from '../calendar/cst-minute.ts';
import type { Bilingual } from '../i18n/text.ts';
import { weeklyColumns, weeklyWords } from './statistics-words.ts';
import { countCell, plannedWorkbook, textCell } from './statistics-workbook.ts';
import type { WeeklyReport } from './weekly-report.ts';

/**
 * The weekly report (周报) as an .xlsx, for reporting upward (issue 15): the same numbers the
 * leaders are sent on Monday, by region down the jurisdiction tree, each row with those below
 * it. One sheet, laid out as the statistics workbook's (title, banner, frozen header in
 * Chinese with English beneath). A few rows: made in memory, answered as the file.
 */

export const weeklyReportFileName = (report: WeeklyReport) =>
  `隐患排查治理周报_${report.jurisdiction}_${report.week.from}_${report.week.to}.xlsx`;

export function weeklyReportWorkbook(
  report: WeeklyReport,
  heading: { jurisdictionName?: Bilingual; madeAt: Date },
): Promise<Uint8Array> {
  const name = heading.jurisdictionName;
  const place = name ? `${name.zh} ${name.en}（${report.jurisdiction}）` : report.jurisdiction;
  return plannedWorkbook(
    [
      {
        name: '周报 Weekly report',
        title: weeklyWords.title,
        note: weeklyWords.note,
        headers: [
          { zh: '辖区', en: 'Jurisdiction' },
          { zh: '代码', en: 'Code' },
          ...weeklyColumns.map(([, words]) => words),
        ],
        widths: [26, 20, ...weeklyColumns.map(() => 14)],
        rows: report.rows.map((row) => [
          // The tree's depth as indentation, as on the page.
          textCell(`${'　'.repeat(row.depth)}${row.zh}\n${'　'.repeat(row.depth)}${row.en}`),
          textCell(row.jurisdiction),
          ...weeklyColumns.map(([key]) => countCell(row[key])),
        ]),
      },
    ],
    {
      title: `${name?.zh ?? report.jurisdiction}`,
      banner:
        `辖区 Jurisdiction：${place}    ` +
        `周期 Week：${report.week.from} 至 ${report.week.to}（周一至周日 Monday to Sunday）    ` +
        `未销号、超期截至 Open and overdue as of：${report.openAsOf} 24:00    ` +
        `制表时间 Made：${cstMinute(new Date(report.asOf))}（北京时间 CST）`,
      madeAt: heading.madeAt,
    },
  );
}
