import type * as z from 'zod/mini';
import type { Bilingual } from '../i18n/text.ts';
import type { statisticsSchema } from './statistics-routes.ts';

/**
 * The figures the statistics page and its .xlsx derive from the answer alike: the mean
 * days to close, the share closed on time, where a target stands in words.
 */

/** The statistics' answer (GET /api/office/statistics). */
export type HazardStatistics = z.output<typeof statisticsSchema>;
export type StatisticsRow = HazardStatistics['totals'];
type Target = HazardStatistics['targets'][number];

/** Mean days to close, one decimal; null with nothing closed. */
export const meanDays = (row: StatisticsRow): number | null =>
  row.closed ? Math.round((row.daysToClose / row.closed) * 10) / 10 : null;

/** Share closed by the deadline, in per cent with one decimal; null with nothing closed. */
export const onTimeShare = (row: StatisticsRow): number | null =>
  row.closed ? Math.round((row.closedOnTime / row.closed) * 1000) / 10 : null;

const dayCount = (days: number) => ({
  zh: `${days} 天`,
  en: days === 1 ? '1 day' : `${days} days`,
});

/**
 * Where a target stands against its due date, in words: `daysLeft` counts from today to the
 * due date and turns negative once it is past, which read as "-703" says nothing. Met: the
 * day it was met (and how late); missed: how long overdue; in progress: the days left.
 */
export function targetTiming(target: Target): Bilingual {
  switch (target.standing) {
    case 'not_applicable':
      return { zh: '—', en: '—' };
    case 'met':
    case 'met_late': {
      if (!target.metOn) return { zh: '已达成', en: 'Met' };
      const late = Math.round(
        (Date.parse(`${target.metOn}T00:00:00Z`) - Date.parse(`${target.due}T00:00:00Z`)) /
          86_400_000,
      );
      if (late <= 0) return { zh: `已于 ${target.metOn} 达成`, en: `Met on ${target.metOn}` };
      const by = dayCount(late);
      return {
        zh: `已于 ${target.metOn} 达成，晚于期限 ${by.zh}`,
        en: `Met on ${target.metOn}, ${by.en} after the due date`,
      };
    }
    case 'missed': {
      const by = dayCount(-target.daysLeft);
      return { zh: `已逾期 ${by.zh}`, en: `Overdue by ${by.en}` };
    }
    case 'pending': {
      if (target.daysLeft <= 0) return { zh: '今天到期', en: 'Due today' };
      const left = dayCount(target.daysLeft);
      return { zh: `还剩 ${left.zh}`, en: `${left.en} left` };
    }
  }
}
