import type { HazardState, LedgerStatus } from './hazard.ts';

/** Port: the hazard ledger, a jurisdiction's hazards by status (major first, newest first). */
export interface HazardLedger {
  list(query: {
    jurisdiction: string;
    status: LedgerStatus;
    limit: number;
    cursor?: string;
  }): Promise<{ items: HazardState[]; nextCursor?: string }>;
  /** The hazards filed on a jurisdiction's record of an enterprise, newest first (一企一档). */
  ofEnterprise(query: {
    jurisdiction: string;
    uscc: string;
    limit: number;
    cursor?: string;
  }): Promise<{ items: HazardState[]; nextCursor?: string }>;
}
