import type { HazardStatistics } from '@qingling/shared/hazards/statistics-figures.ts';
import { officeRequest } from './office-api.ts';

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

export {
  meanDays,
  onTimeShare,
  targetTiming,
} from '@qingling/shared/hazards/statistics-figures.ts';
export { words } from '@qingling/shared/hazards/statistics-words.ts';
