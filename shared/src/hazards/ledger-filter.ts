import industryDepartments from '../data/industry-departments.json' with { type: 'json' };
import { foundOnOf } from './found-on.ts';
import type { HazardGrade, HazardSource, HazardState, LedgerStatus } from './hazard.ts';
import {
  communityPartition,
  enterprisePartition,
  type LedgerSortBy,
  narrowPartition,
  sortValue,
  widePartition,
} from './ledger-indexes.ts';

/**
 * The ledger's filters (台账筛选) and how each is answered from an index, at any size.
 *
 * Every filter is an equality on a small set of values (grade, channel, industry, the
 * supervising unit as the industries it answers for, the enterprise) or a range (the
 * found-on period, overdue). Equalities are partition keys: the ledger's indexes are
 * partitioned by jurisdiction, status, grade and channel (and industry, or enterprise), and a
 * filter left open is the union of the few partitions it spans, read side by side and merged
 * in order (at most 2 grades × 3 channels × the unit's industries). Ranges are sort keys:
 * each index sorts by the found-on date or by the deadline, so a period or "overdue" is a
 * key condition. A page reads about a page of items from each partition it spans, never the
 * rest of the ledger.
 *
 * Two things are not index ranges, and say so: a range on the attribute the page is not
 * sorted by (a period sorted by deadline, overdue sorted by found-on) is checked on the
 * items read; an enterprise's hazards come from its own partition (a few dozen at most),
 * read whole when sorted by deadline. A village's or community's (村/社区) likewise come
 * from its own partition (gsi8), by found-on date, its other filters checked on the items
 * read: a unit's hazards are a share of its town's, read whole only when sorted by deadline.
 */
export const ledgerGrades = ['major', 'general'] as const satisfies readonly HazardGrade[];
export const ledgerSources = [
  'inspection',
  'self_report',
  'tip',
] as const satisfies readonly HazardSource[];

export type { LedgerSortBy };

export interface LedgerFilter {
  grade?: HazardGrade;
  source?: HazardSource;
  industry?: string;
  /** The supervising department (管行业必须管安全): the industries it answers for. */
  unit?: string;
  /** A registered enterprise's credit code (places without one have no key to list by). */
  enterprise?: string;
  /** The village or community (村/社区) the hazard names. */
  community?: string;
  /** Found on or after / on or before (CST dates, inclusive). */
  foundFrom?: string;
  foundTo?: string;
  /** Only hazards whose current deadline is at or before this instant (overdue then). */
  deadlineBy?: string;
  sort?: { by: LedgerSortBy; order: 'asc' | 'desc' };
}

const departmentOfIndustry = industryDepartments.industries as Record<string, string>;

const filterKeys = [
  'grade',
  'source',
  'industry',
  'unit',
  'enterprise',
  'community',
  'foundFrom',
  'foundTo',
] as const satisfies readonly (keyof LedgerFilter)[];

/** The filter a list or export request asks for, as of `now` (overdue: deadline passed). */
export function ledgerFilterOf(
  query: Pick<LedgerFilter, (typeof filterKeys)[number]> & {
    overdue?: 'true';
    sort?: LedgerSortBy;
    order?: 'asc' | 'desc';
  },
  now: Date,
): LedgerFilter {
  const { overdue, sort, order } = query;
  // Only the filters by name: a request carries more (the export's format, a cursor).
  const filter: LedgerFilter = Object.fromEntries(
    filterKeys.map((key) => [key, query[key]] as const).filter(([, value]) => value !== undefined),
  );
  if (overdue) filter.deadlineBy = now.toISOString();
  if (sort || order) {
    const by = sort ?? sortOf(filter).by;
    filter.sort = { by, order: order ?? (by === 'deadline' ? 'asc' : 'desc') };
  }
  return filter;
}

/** The industries a supervising department answers for, by the reference data. */
export const industriesOfUnit = (unit: string): string[] =>
  Object.entries(departmentOfIndustry)
    .filter(([, department]) => department === unit)
    .map(([industry]) => industry);

/** Whether any filter beyond the status is asked (the plain ledger keeps its own order). */
export const isFiltered = (filter: LedgerFilter | undefined): filter is LedgerFilter =>
  Boolean(filter && Object.values(filter).some((value) => value !== undefined));

/** The order a filtered page is in: as asked, else the most overdue first, else newest found. */
export function sortOf(filter: LedgerFilter): { by: LedgerSortBy; order: 'asc' | 'desc' } {
  if (filter.sort) return filter.sort;
  return filter.deadlineBy ? { by: 'deadline', order: 'asc' } : { by: 'foundOn', order: 'desc' };
}

export type LedgerIndexName = 'gsi3' | 'gsi4' | 'gsi5' | 'gsi6' | 'gsi7' | 'gsi8';

/** How a filtered page is read: which partitions of which index, in which key range. */
export interface LedgerReadPlan {
  indexName: LedgerIndexName;
  partitions: string[];
  /** Inclusive bounds on the index's sort key (undefined: open). */
  from?: string;
  to?: string;
  by: LedgerSortBy;
  order: 'asc' | 'desc';
  /** false: the index is not in the page's order (an enterprise by deadline): read whole. */
  inOrder: boolean;
}

/** Above any id or date suffix of a key with this prefix. */
const after = (prefix: string) => `${prefix}#~`;

export function ledgerReadPlan(
  jurisdiction: string,
  status: LedgerStatus,
  filter: LedgerFilter,
): LedgerReadPlan {
  const { by, order } = sortOf(filter);
  const grades = filter.grade ? [filter.grade] : ledgerGrades;
  const sources = filter.source ? [filter.source] : ledgerSources;
  const industries = industriesOf(filter);
  // The key range is the sort attribute's own range; the other range is checked on items.
  const range =
    by === 'foundOn'
      ? {
          ...(filter.foundFrom ? { from: filter.foundFrom } : {}),
          ...(filter.foundTo ? { to: after(filter.foundTo) } : {}),
        }
      : filter.deadlineBy
        ? { to: after(filter.deadlineBy) }
        : {};
  // An enterprise's partition, else a village's or community's: the other filters (and the
  // community, with an enterprise) are checked on the items read.
  if (filter.enterprise || filter.community) {
    const foundOnRange = {
      ...(filter.foundFrom ? { from: filter.foundFrom } : {}),
      ...(filter.foundTo ? { to: after(filter.foundTo) } : {}),
    };
    return {
      indexName: filter.enterprise ? 'gsi7' : 'gsi8',
      partitions: [
        filter.enterprise
          ? enterprisePartition(jurisdiction, status, filter.enterprise)
          : communityPartition(jurisdiction, status, filter.community ?? ''),
      ],
      ...foundOnRange,
      by,
      order,
      inOrder: by === 'foundOn',
    };
  }
  const partitions = grades.flatMap((grade) =>
    sources.flatMap((source) =>
      industries
        ? industries.map((industry) =>
            narrowPartition(jurisdiction, status, grade, source, industry),
          )
        : [widePartition(jurisdiction, status, grade, source)],
    ),
  );
  const indexName: LedgerIndexName = industries
    ? by === 'foundOn'
      ? 'gsi4'
      : 'gsi6'
    : by === 'foundOn'
      ? 'gsi3'
      : 'gsi5';
  return { indexName, partitions, ...range, by, order, inOrder: true };
}

/** The industries the filter selects (undefined: all of them, the wide index). */
function industriesOf(filter: LedgerFilter): string[] | undefined {
  if (filter.unit) {
    const ofUnit = industriesOfUnit(filter.unit);
    return filter.industry ? ofUnit.filter((code) => code === filter.industry) : ofUnit;
  }
  return filter.industry ? [filter.industry] : undefined;
}

/**
 * Whether a hazard passes every filter: what the index reads select, checked again on each
 * item read (and the brute force the tests compare the indexes with).
 */
export function matchesLedgerFilter(state: HazardState, filter: LedgerFilter): boolean {
  if (filter.grade && state.grade !== filter.grade) return false;
  if (filter.source && state.source !== filter.source) return false;
  if (filter.industry && state.industry !== filter.industry) return false;
  if (filter.unit && !industriesOfUnit(filter.unit).includes(state.industry)) return false;
  if (filter.enterprise && state.enterprise !== filter.enterprise) return false;
  if (filter.community && state.unit !== filter.community) return false;
  const foundOn = foundOnOf(state);
  if (filter.foundFrom && foundOn < filter.foundFrom) return false;
  if (filter.foundTo && foundOn > filter.foundTo) return false;
  if (filter.deadlineBy && !(state.round && state.round.deadline <= filter.deadlineBy)) {
    return false;
  }
  return true;
}

/** Sorts hazards as a filtered page lists them (the tests' brute force, the whole-read path). */
export function compareForLedger(by: LedgerSortBy, order: 'asc' | 'desc') {
  return (a: HazardState, b: HazardState) => {
    const left = sortValue(a, by);
    const right = sortValue(b, by);
    const sign = order === 'asc' ? 1 : -1;
    return left < right ? -sign : left > right ? sign : 0;
  };
}
