import { SvelteMap } from 'svelte/reactivity';
import { RequestError } from '#lib/api.ts';
import { text } from '#lib/i18n.ts';
import { officeRequest } from '#lib/office/office-api.ts';
import { m } from '#lib/paraglide/messages.js';
import type { TipForOfficer, TipList, TipStatus, TipSummary } from './contract.ts';
import { duplicatesAmong, type PossibleDuplicate } from './duplicates.ts';

/** How many tips' details are asked for at once. */
const detailRequestsAtOnce = 6;

/**
 * A jurisdiction's tips of one status, newest first, page after page (nextCursor). The list
 * answers from an index and gives a summary per tip; the channel, the limit running now and
 * the whole description come with each tip's own record, read beside it (a row shows what
 * it has until then).
 */
export class TipInbox {
  tips = $state.raw<TipSummary[]>([]);
  nextCursor = $state<string>();
  loading = $state(false);
  error = $state<string>();
  readonly details = new SvelteMap<string, TipForOfficer>();
  /** Counts the lists asked for: answers about an older list (another tab) are dropped. */
  private list = 0;

  /** For each tip on the page, the others on it that may be the same matter. */
  readonly duplicates = $derived.by(
    (): Map<string, PossibleDuplicate[]> =>
      duplicatesAmong(
        this.tips.map((tip) => ({
          ...tip,
          text: this.details.get(tip.tipId)?.description ?? tip.excerpt,
        })),
      ),
  );

  /** The first page (`cursor` absent) or the next; returns the tips added. */
  async load(jurisdiction: string, status: TipStatus, cursor?: string): Promise<TipSummary[]> {
    if (!cursor) {
      this.list += 1;
      this.tips = [];
      this.nextCursor = undefined;
      this.details.clear();
    }
    const question = this.list;
    this.loading = true;
    this.error = undefined;
    const query = new URLSearchParams({ jurisdiction, status, ...(cursor ? { cursor } : {}) });
    try {
      const answer = await officeRequest<TipList>(`/api/office/tips?${query}`);
      if (question !== this.list) return [];
      this.tips = [...this.tips, ...answer.tips];
      this.nextCursor = answer.nextCursor;
      void this.loadDetails(answer.tips, question);
      return answer.tips;
    } catch (failure) {
      if (question === this.list) {
        this.error = failure instanceof RequestError ? text(failure.text) : m.error_unexpected();
      }
      return [];
    } finally {
      if (question === this.list) this.loading = false;
    }
  }

  private async loadDetails(tips: readonly TipSummary[], question: number): Promise<void> {
    const waiting = [...tips];
    const worker = async () => {
      for (let tip = waiting.shift(); tip; tip = waiting.shift()) {
        if (question !== this.list) return;
        try {
          const detail = await officeRequest<TipForOfficer>(
            `/api/office/tips/${encodeURIComponent(tip.tipId)}`,
          );
          if (question === this.list) this.details.set(tip.tipId, detail);
        } catch {
          // The row keeps what the summary says.
        }
      }
    };
    await Promise.all(Array.from({ length: detailRequestsAtOnce }, worker));
  }
}
