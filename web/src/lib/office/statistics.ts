import type { HazardStatistics } from '@qingling/shared/hazards/statistics-figures.ts';
import type { WeeklyReport } from '@qingling/shared/hazards/weekly-report.ts';
import { networkError, RequestError, toRequestError } from '#lib/api.ts';
import { currentToken } from '#lib/auth/session.ts';
import { href, text } from '#lib/i18n.ts';
import { m } from '#lib/paraglide/messages.js';
import { fileNameOf, saveFile } from './download.ts';
import { officeRequest, signOut } from './office-api.ts';

export type {
  HazardStatistics,
  StatisticsRow,
} from '@qingling/shared/hazards/statistics-figures.ts';
export type { WeeklyReport } from '@qingling/shared/hazards/weekly-report.ts';

export interface StatisticsQuery {
  jurisdiction: string;
  from?: string;
  to?: string;
  cutoff?: string;
}

export function loadStatistics(query: StatisticsQuery): Promise<HazardStatistics> {
  return officeRequest<HazardStatistics>(`/api/office/statistics?${searchOf(query)}`);
}

/**
 * 导出 Excel: the same numbers as the page, as the server writes them into an .xlsx
 * (format=xlsx on the same route), fetched with the session's token and saved. The answer
 * is the file itself: the statistics are small, so there is no link to follow. A refusal
 * throws the API's RequestError, as officeRequest does.
 */
export function downloadStatistics(query: StatisticsQuery): Promise<string> {
  return downloadSpreadsheet(
    '/api/office/statistics',
    query,
    `统计分析_${query.jurisdiction}.xlsx`,
  );
}

export interface WeeklyReportQuery {
  jurisdiction: string;
  /** Any day of the week; left out, the last week reported. */
  week?: string;
}

/** 周报: a week's numbers by region, as the leaders are sent them on Monday. */
export function loadWeeklyReport(query: WeeklyReportQuery): Promise<WeeklyReport> {
  return officeRequest<WeeklyReport>(`/api/office/statistics/weekly?${searchOf(query)}`);
}

/** The weekly report as its .xlsx, for reporting upward. */
export function downloadWeeklyReport(query: WeeklyReportQuery): Promise<string> {
  return downloadSpreadsheet(
    '/api/office/statistics/weekly',
    query,
    `隐患排查治理周报_${query.jurisdiction}.xlsx`,
  );
}

/** What a refused question says: the refusal, then each field's issue, in the page's language. */
export const refusalText = (error: unknown): string =>
  error instanceof RequestError
    ? [text(error.text), ...error.issues.map((issue) => text(issue.message))].join(' ')
    : m.error_unexpected();

/** A page's address for a question: its filled fields as the query string. */
export const questionHref = (path: string, form: object) => href(`${path}?${searchOf(form)}`);

const searchOf = (query: object) =>
  new URLSearchParams(
    Object.entries(query).filter((entry): entry is [string, string] => Boolean(entry[1])),
  );

async function downloadSpreadsheet(
  path: string,
  query: object,
  fallbackName: string,
): Promise<string> {
  const token = currentToken();
  if (!token) {
    await signOut();
    throw toRequestError(401, undefined);
  }
  let response: Response;
  try {
    response = await fetch(`${path}?${searchOf({ ...query, format: 'xlsx' })}`, {
      headers: { authorization: `Bearer ${token}` },
    });
  } catch {
    throw networkError();
  }
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => undefined);
    if (response.status === 401) await signOut();
    throw toRequestError(response.status, body);
  }
  const name = fileNameOf(response.headers.get('content-disposition'), fallbackName);
  saveFile(await response.blob(), name);
  return name;
}

export {
  meanDays,
  onTimeShare,
  targetTiming,
} from '@qingling/shared/hazards/statistics-figures.ts';
export {
  weeklyColumns,
  weeklyWords,
  words,
} from '@qingling/shared/hazards/statistics-words.ts';
