import { officeRequest } from '#lib/office/office-api.ts';
import { keepPhotoUrls } from '#lib/office/photo-urls.ts';
import { OfficeRecord } from '#lib/office/record/office-record.svelte.ts';
import type { TipCommand, TipForOfficer, TipMessage } from './contract.ts';
import type { TipAction, TipChange } from './tip-actions.ts';

/**
 * One tip's page as the console holds it: a record like any other (OfficeRecord), and the
 * conversation with the anonymous tipster, which only a tip has.
 */
export class TipRecord extends OfficeRecord<TipForOfficer, TipAction, TipCommand, TipChange> {
  /** A command answers without the photos' read URLs: the page keeps those it read. */
  protected override received(reply: TipForOfficer): TipForOfficer {
    return 'photoKeys' in reply ? keepPhotoUrls(this.detail, reply, reply.photoKeys) : reply;
  }

  /** Asks the tipster a question, then reads the tip again (its revision has moved). */
  async ask(question: string, idempotencyKey: string): Promise<void> {
    await officeRequest<TipMessage>(`${this.path}/questions`, {
      body: { idempotencyKey, text: question },
    });
    await this.load();
  }
}
