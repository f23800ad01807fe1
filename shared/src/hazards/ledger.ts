import type { LedgerEntry } from './desk.ts';
import type { HazardState, LedgerStatus } from './hazard.ts';
import type { LedgerFilter } from './ledger-filter.ts';

/**
 * Port: the hazard ledger, a jurisdiction's hazards by status: major first, newest first;
 * or, with a filter, those it selects in its order (ledger-filter.ts), from the indexes.
 */
export interface HazardLedger {
  list(query: {
    jurisdiction: string;
    status: LedgerStatus;
    limit: number;
    cursor?: string;
    filter?: LedgerFilter;
  }): Promise<{ items: HazardState[]; nextCursor?: string }>;
  /** The hazards filed on a jurisdiction's record of an enterprise, newest first (一企一档). */
  ofEnterprise(query: {
    jurisdiction: string;
    uscc: string;
    limit: number;
    cursor?: string;
  }): Promise<{ items: HazardState[]; nextCursor?: string }>;
  /**
   * Every hazard listed under a status, as the desk counts it (grade, deadline, pending
   * extension and escalation times only):
   * the whole partition, read page by page with nothing else projected.
   */
  entries(query: { jurisdiction: string; status: LedgerStatus }): Promise<LedgerEntry[]>;
}
