import { RequestError } from '#lib/api.ts';
import { text } from '#lib/i18n.ts';
import { ConflictError, officeRequest } from '#lib/office/office-api.ts';
import { m } from '#lib/paraglide/messages.js';
import type { TipCommand, TipForOfficer, TipMessage } from './contract.ts';
import type { TipAction } from './tip-actions.ts';

/**
 * One tip's page as the console holds it: the tip as last read, and the commands given on
 * it. A command carries the revision shown; when someone acted first, the tip becomes what
 * the server has now and the form that was refused stays (pinned) so that what the officer
 * typed can be sent again on the new revision.
 */
export class TipRecord {
  readonly tipId: string;
  tip = $state.raw<TipForOfficer>();
  error = $state<string>();
  /** What the last command did, said at the top of the actions. */
  notice = $state<string>();
  /** Forms kept on the page after a conflict, even where the new status has no place for them. */
  pinned = $state<TipAction[]>([]);

  constructor(tipId: string) {
    this.tipId = tipId;
  }

  get path(): string {
    return `/api/office/tips/${encodeURIComponent(this.tipId)}`;
  }

  async load(): Promise<void> {
    this.error = undefined;
    try {
      this.tip = await officeRequest<TipForOfficer>(this.path);
    } catch (failure) {
      this.error = failure instanceof RequestError ? text(failure.text) : m.error_unexpected();
    }
  }

  /**
   * Gives a command on the revision shown; a retry must pass the same idempotency key. On a
   * conflict the form of `action` is pinned before the new tip is shown, so that the form
   * (and what was typed in it) stays even where the new status has no place for it.
   */
  async give(action: TipAction, command: TipCommand, idempotencyKey: string): Promise<void> {
    const shown = this.tip;
    if (!shown) throw new Error('no tip loaded');
    try {
      this.tip = await officeRequest<TipForOfficer>(`${this.path}/commands`, {
        body: { idempotencyKey, expectedRevision: shown.revision, command },
      });
    } catch (failure) {
      if (failure instanceof ConflictError) {
        this.pin(action);
        this.tip = failure.current as TipForOfficer;
      }
      throw failure;
    }
  }

  /** Asks the tipster a question, then reads the tip again (its revision has moved). */
  async ask(question: string, idempotencyKey: string): Promise<void> {
    await officeRequest<TipMessage>(`${this.path}/questions`, {
      body: { idempotencyKey, text: question },
    });
    await this.load();
  }

  pin(action: TipAction): void {
    if (!this.pinned.includes(action)) this.pinned = [...this.pinned, action];
  }

  unpin(action: TipAction): void {
    this.pinned = this.pinned.filter((pinned) => pinned !== action);
  }
}
