import type { Bilingual } from '@qingling/shared/i18n/text.ts';
import type { FieldIssue } from '#lib/api.ts';
import { m } from '#lib/paraglide/messages.js';
import type { ImportResult } from './contract.ts';
import { columnOf } from './spreadsheet.ts';

/** What became of one row of the sheet: stored, stored before, refused, or not sent at all. */
export type RowOutcome = ImportResult['outcome'] | 'not_sent';

export interface RowReport {
  rowNumber: number;
  rowId: string;
  outcome: RowOutcome;
  hazardId?: string;
  reasons: Bilingual[];
}

const outcomeMessages: Record<RowOutcome, typeof m.hz_outcome_stored> = {
  stored: m.hz_outcome_stored,
  already_stored: m.hz_outcome_already_stored,
  refused: m.hz_outcome_refused,
  not_sent: m.hz_outcome_not_sent,
};

export const outcomeName = (outcome: RowOutcome): string => outcomeMessages[outcome]();

/** Each issue with the column it is about, in both languages: "统一社会信用代码：…". */
export function reasonsOf(issues: readonly FieldIssue[]): Bilingual[] {
  return issues.map(({ path, message }) => {
    const column = columnOf(path);
    return column
      ? { zh: `${column.zh}：${message.zh}`, en: `${column.en}: ${message.en}` }
      : message;
  });
}

/** A cell of the CSV: quoted, and never read as a formula by a spreadsheet. */
const csvCell = (value: string) => `"${value.replace(/^[=+\-@]/, "'$&").replaceAll('"', '""')}"`;

/** The report as CSV in both languages (with a BOM, so that spreadsheets read it as UTF-8). */
export function reportCsv(rows: readonly RowReport[]): string {
  const zh = { locale: 'zh-CN' } as const;
  const en = { locale: 'en' } as const;
  const header = [
    '行号 row',
    '编号 rowId',
    '结果',
    'outcome',
    '隐患编号 hazardId',
    '原因',
    'reasons',
  ];
  const lines = rows.map((row) => [
    String(row.rowNumber),
    row.rowId,
    outcomeMessages[row.outcome]({}, zh),
    outcomeMessages[row.outcome]({}, en),
    row.hazardId ?? '',
    row.reasons.map((reason) => reason.zh).join('；'),
    row.reasons.map((reason) => reason.en).join('; '),
  ]);
  return `\uFEFF${[header, ...lines].map((line) => line.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
