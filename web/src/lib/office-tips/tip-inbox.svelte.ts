import { duplicatesAmong, type PossibleDuplicate } from '@qingling/shared/tips/duplicates.ts';
import { SvelteMap } from 'svelte/reactivity';
import { officeRequest } from '#lib/office/office-api.ts';
import { RecordList } from '#lib/office/record/record-list.svelte.ts';
import type { TipForOfficer, TipSummary } from './contract.ts';

/** How many tips' details are asked for at once. */
const detailRequestsAtOnce = 6;

/**
 * A jurisdiction's tips of one status, newest first, page after page (a RecordList). The list
 * answers from an index and gives a summary per tip; the channel, the limit running now and
 * the whole description come with each tip's own record, read beside it (a row shows what
 * it has until then).
 */
export class TipInbox extends RecordList<TipSummary> {
  readonly details = new SvelteMap<string, TipForOfficer>();

  constructor() {
    super('/api/office/tips', 'tips');
  }

  /** For each tip on the page, the others on it that may be the same matter. */
  readonly duplicates = $derived.by(
    (): Map<string, PossibleDuplicate[]> =>
      duplicatesAmong(
        this.rows.map((tip) => ({
          ...tip,
          text: this.details.get(tip.tipId)?.description ?? tip.excerpt,
        })),
      ),
  );

  protected override started(): void {
    this.details.clear();
  }

  protected override added(tips: readonly TipSummary[], question: number): void {
    void this.loadDetails(tips, question);
  }

  private async loadDetails(tips: readonly TipSummary[], question: number): Promise<void> {
    const waiting = [...tips];
    const worker = async () => {
      for (let tip = waiting.shift(); tip; tip = waiting.shift()) {
        if (!this.current(question)) return;
        try {
          const detail = await officeRequest<TipForOfficer>(
            `/api/office/tips/${encodeURIComponent(tip.tipId)}`,
          );
          if (this.current(question)) this.details.set(tip.tipId, detail);
        } catch {
          // The row keeps what the summary says.
        }
      }
    };
    await Promise.all(Array.from({ length: detailRequestsAtOnce }, worker));
  }
}
