import type { statisticsSchema } from '@qingling/shared/hazards/statistics-routes.ts';
import type * as z from 'zod/mini';
import { officeRequest } from './office-api.ts';

/** The statistics' answer (GET /api/office/statistics), as the page reads it. */
export type HazardStatistics = z.output<typeof statisticsSchema>;
export type StatisticsRow = HazardStatistics['totals'];

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

/** Mean days to close, one decimal; null with nothing closed. */
export const meanDays = (row: StatisticsRow): number | null =>
  row.closed ? Math.round((row.daysToClose / row.closed) * 10) / 10 : null;

/** Share closed by the deadline, in per cent with one decimal; null with nothing closed. */
export const onTimeShare = (row: StatisticsRow): number | null =>
  row.closed ? Math.round((row.closedOnTime / row.closed) * 1000) / 10 : null;

export { words } from './statistics-words.ts';
export { targetTiming } from './target-timing.ts';
