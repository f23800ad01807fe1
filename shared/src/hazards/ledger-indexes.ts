import { foundOnOf } from './found-on.ts';

/**
 * The filtered ledger's index keys (ledger-filter.ts says how they answer the filters): what
 * the hazard projection writes beside gsi1/gsi2, kept apart from the filters' reference data
 * so that every function that writes a hazard stays small.
 */
export type LedgerSortBy = 'foundOn' | 'deadline';

/** What of a hazard's state the keys are made of (hazard.ts imports this module). */
export interface IndexedHazard {
  hazardId: string;
  jurisdiction: string;
  grade: string;
  source: string;
  industry: string;
  enterprise?: string;
  unit?: string;
  foundOn?: string;
  reportedAt: string;
  round: { deadline: string } | null;
}
type HazardState = IndexedHazard;
type LedgerStatus = string;

/** A hazard without a deadline (not yet rectifying) sorts after every date. */
const noDeadline = '~';
const deadlineKey = (state: HazardState) =>
  `${state.round?.deadline ?? noDeadline}#${state.hazardId}`;
const foundOnKey = (state: HazardState) => `${foundOnOf(state)}#${state.hazardId}`;
/** The value a hazard sorts by: the index's sort key for that order. */
export const sortValue = (state: HazardState, by: LedgerSortBy) =>
  by === 'deadline' ? deadlineKey(state) : foundOnKey(state);

export const widePartition = (
  jurisdiction: string,
  status: LedgerStatus,
  grade: string,
  source: string,
) => `LEDGER#${jurisdiction}#${status}#${grade}#${source}`;
export const narrowPartition = (
  jurisdiction: string,
  status: LedgerStatus,
  grade: string,
  source: string,
  industry: string,
) => `${widePartition(jurisdiction, status, grade, source)}#${industry}`;
export const enterprisePartition = (jurisdiction: string, status: LedgerStatus, uscc: string) =>
  `LEDGER#${jurisdiction}#${status}#E#${uscc}`;
export const communityPartition = (jurisdiction: string, status: LedgerStatus, unit: string) =>
  `LEDGER#${jurisdiction}#${status}#C#${unit}`;

/**
 * The index attributes the hazard's state item carries for the filtered ledger (the event
 * store writes them with every state write, beside gsi1/gsi2).
 */
export function ledgerFilterIndexes(
  state: HazardState,
  status: LedgerStatus,
): Record<string, string> {
  const { jurisdiction, grade, source, industry } = state;
  return {
    // By found-on date: the whole ledger, then one industry's.
    gsi3pk: widePartition(jurisdiction, status, grade, source),
    gsi3sk: foundOnKey(state),
    gsi4pk: narrowPartition(jurisdiction, status, grade, source, industry),
    gsi4sk: foundOnKey(state),
    // By deadline: the same partitions.
    gsi5pk: widePartition(jurisdiction, status, grade, source),
    gsi5sk: deadlineKey(state),
    gsi6pk: narrowPartition(jurisdiction, status, grade, source, industry),
    gsi6sk: deadlineKey(state),
    // One enterprise's hazards (its record in this jurisdiction), by found-on date.
    ...(state.enterprise
      ? {
          gsi7pk: enterprisePartition(jurisdiction, status, state.enterprise),
          gsi7sk: foundOnKey(state),
        }
      : {}),
    // One village's or community's (村/社区) hazards, by found-on date.
    ...(state.unit
      ? {
          gsi8pk: communityPartition(jurisdiction, status, state.unit),
          gsi8sk: foundOnKey(state),
        }
      : {}),
  };
}
