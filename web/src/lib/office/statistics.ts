import type { HazardStatistics } from '@qingling/shared/hazards/statistics-figures.ts';
import { networkError, toRequestError } from '#lib/api.ts';
import { currentToken } from '#lib/auth/session.ts';
import { fileNameOf, saveFile } from './download.ts';
import { officeRequest, signOut } from './office-api.ts';

export type {
  HazardStatistics,
  StatisticsRow,
} from '@qingling/shared/hazards/statistics-figures.ts';

export interface StatisticsQuery {
  jurisdiction: string;
  from?: string;
  to?: string;
  cutoff?: string;
}

export function loadStatistics(query: StatisticsQuery): Promise<HazardStatistics> {
  const search = new URLSearchParams(
    Object.entries(query).filter((entry): entry is [string, string] => Boolean(entry[1])),
  );
  return officeRequest<HazardStatistics>(`/api/office/statistics?${search}`);
}

/**
 * 导出 Excel: the same numbers as the page, as the server writes them into an .xlsx
 * (format=xlsx on the same route), fetched with the session's token and saved. The answer
 * is the file itself: the statistics are small, so there is no link to follow. A refusal
 * throws the API's RequestError, as officeRequest does.
 */
export async function downloadStatistics(query: StatisticsQuery): Promise<string> {
  const token = currentToken();
  if (!token) {
    await signOut();
    throw toRequestError(401, undefined);
  }
  const search = new URLSearchParams(
    Object.entries({ ...query, format: 'xlsx' }).filter((entry): entry is [string, string] =>
      Boolean(entry[1]),
    ),
  );
  let response: Response;
  try {
    response = await fetch(`/api/office/statistics?${search}`, {
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
  const name = fileNameOf(
    response.headers.get('content-disposition'),
    `统计分析_${query.jurisdiction}.xlsx`,
  );
  saveFile(await response.blob(), name);
  return name;
}

export {
  meanDays,
  onTimeShare,
  targetTiming,
} from '@qingling/shared/hazards/statistics-figures.ts';
export { words } from '@qingling/shared/hazards/statistics-words.ts';
