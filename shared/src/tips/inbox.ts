import type { TipState, TipStatus } from './tip-state.ts';

/** Port: the office inbox, a jurisdiction's tips by status, newest first, from an index. */
export interface TipInbox {
  list(query: {
    jurisdiction: string;
    status: TipStatus;
    limit: number;
    cursor?: string | undefined;
  }): Promise<{ items: TipState[]; nextCursor?: string }>;
}
