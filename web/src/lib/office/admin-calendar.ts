import { bilingual } from '@qingling/shared/i18n/text.ts';

/**
 * The administrator's calendar page (/office/admin/calendar): a year's days off and
 * make-up working days, typed as the State Council's notice gives them (a date or a range
 * per line: "2027-02-06~2027-02-12"), saved through the versioned updateCalendarYear. The
 * server checks each date against the year and the weekdays; this only reads what was
 * typed. Pure: the requests are in admin-policy-api.ts.
 */
export const calendarWords = {
  nav: bilingual('节假日安排', 'Holiday calendar'),
  title: bilingual('节假日安排', 'Holiday calendar'),
  intro: bilingual(
    '按工作日计算的期限（受理、核查、反馈、整改）跳过这里的放假日，计入调休上班日。请按国务院办公厅每年公布的放假安排录入。',
    'Limits in working days (accepting, verifying, answering, rectifying) skip the days off here and count the make-up working days. Enter them as the State Council’s General Office publishes them each year.',
  ),
  years: bilingual('已录入的年份', 'Years entered'),
  year: bilingual('年份', 'Year'),
  daysOff: bilingual('放假日', 'Days off'),
  workdays: bilingual('调休上班日', 'Make-up working days'),
  source: bilingual('来源', 'Source'),
  seed: bilingual('内置', 'Built in'),
  administrator: bilingual('管理员录入', 'Entered by an administrator'),
  edit: bilingual('编辑', 'Edit'),
  editing: bilingual('编辑 {year} 年', 'Editing {year}'),
  newYear: bilingual('录入新的年份', 'Enter another year'),
  datesHint: bilingual(
    '每行一个日期或日期段，如 2027-02-06~2027-02-12；也可用逗号或空格分隔。',
    'A date or a range a line, such as 2027-02-06~2027-02-12; commas or spaces also separate.',
  ),
  workdaysHint: bilingual(
    '调休上班的周六、周日，每行一个日期。',
    'The Saturdays and Sundays worked instead, a date a line.',
  ),
  notADate: bilingual('无法识别：{words}', 'Not a date: {words}'),
  save: bilingual('保存 {year} 年节假日安排', 'Save the {year} calendar'),
  saved: bilingual('已保存，版本', 'Saved, version'),
  conflict: bilingual(
    '其他管理员刚刚修改了这一年的安排，下面是最新内容，请核对后再保存。',
    'Another administrator has just changed this year: the latest is shown below. Check it and save again.',
  ),
  invalid: bilingual('请改正以下问题后再保存。', 'Correct the following, then save.'),
  loading: bilingual('正在读取…', 'Loading…'),
  counts: bilingual(
    '{holidays} 天放假，{workdays} 天调休上班',
    '{holidays} days off, {workdays} make-up working days',
  ),
  version: bilingual('版本 {version}', 'version {version}'),
} as const;

const isoDate = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const dayMs = 86_400_000;

/** "2027-2-6" → "2027-02-06"; null when not a real day. */
function dateOf(word: string): string | null {
  const match = isoDate.exec(word.replaceAll('/', '-').replaceAll('.', '-'));
  if (!match) return null;
  const [, year, month, day] = match;
  const iso = `${year}-${month?.padStart(2, '0')}-${day?.padStart(2, '0')}`;
  const parsed = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== iso ? null : iso;
}

/**
 * The dates typed in a box: single dates and ranges ("~", "至", "到", "–" or "—" between two
 * dates), in order, each once; and the words that are neither.
 */
export function parseDates(typed: string): { dates: string[]; unread: string[] } {
  const dates = new Set<string>();
  const unread: string[] = [];
  const normalized = typed.normalize('NFKC').replace(/\s*(~|至|到|–|—)\s*/g, '~');
  for (const word of normalized.split(/[\s,，、;；]+/).filter(Boolean)) {
    const [from, to, ...rest] = word.split('~');
    const start = from ? dateOf(from) : null;
    const end = to === undefined ? start : dateOf(to);
    if (!start || !end || rest.length > 0 || end < start) {
      unread.push(word);
      continue;
    }
    // A range longer than a year is a typing slip, not a holiday.
    if ((Date.parse(end) - Date.parse(start)) / dayMs > 366) {
      unread.push(word);
      continue;
    }
    for (let at = Date.parse(start); at <= Date.parse(end); at += dayMs) {
      dates.add(new Date(at).toISOString().slice(0, 10));
    }
  }
  return { dates: [...dates].sort(), unread };
}

/** Dates as the box shows them: a line a run of consecutive days ("a~b"), a line a day. */
export function formatDates(dates: readonly string[]): string {
  const sorted = [...new Set(dates)].sort();
  const lines: string[] = [];
  let runStart: string | undefined;
  let previous: string | undefined;
  const close = () => {
    if (runStart && previous)
      lines.push(runStart === previous ? runStart : `${runStart}~${previous}`);
  };
  for (const date of sorted) {
    if (previous && Date.parse(date) - Date.parse(previous) === dayMs) {
      previous = date;
      continue;
    }
    close();
    runStart = date;
    previous = date;
  }
  close();
  return lines.join('\n');
}
