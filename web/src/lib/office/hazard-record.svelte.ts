import type { HazardCommandRequest } from '@qingling/shared/hazards/schemas.ts';
import { RequestError } from '#lib/api.ts';
import { text } from '#lib/i18n.ts';
import { m } from '#lib/paraglide/messages.js';
import type { HazardDetail } from './contract.ts';
import type { HazardAction } from './hazard-actions.ts';
import { ConflictError, officeRequest } from './office-api.ts';

type HazardCommand = HazardCommandRequest['command'];

/**
 * One hazard's page as the console holds it: the record as last read, and the commands
 * given on it. A command carries the revision shown; when someone acted first, the record
 * becomes what the server has now and the form that was refused stays (pinned) so that
 * what the officer typed can be sent again on the new revision.
 */
export class HazardRecord {
  readonly hazardId: string;
  detail = $state.raw<HazardDetail>();
  error = $state<string>();
  /** What the last command did, said at the top of the actions. */
  notice = $state<string>();
  /** Forms kept on the page after a conflict, even where the new status has no place for them. */
  pinned = $state<HazardAction[]>([]);

  constructor(hazardId: string) {
    this.hazardId = hazardId;
  }

  get path(): string {
    return `/api/office/hazards/${encodeURIComponent(this.hazardId)}`;
  }

  async load(): Promise<void> {
    this.error = undefined;
    try {
      this.detail = await officeRequest<HazardDetail>(this.path);
    } catch (failure) {
      this.error = failure instanceof RequestError ? text(failure.text) : m.error_unexpected();
    }
  }

  /** Gives a command on the revision shown; a retry must pass the same idempotency key. */
  async give(command: HazardCommand, idempotencyKey: string): Promise<void> {
    const shown = this.detail;
    if (!shown) throw new Error('no hazard loaded');
    try {
      this.detail = await officeRequest<HazardDetail>(`${this.path}/commands`, {
        body: { idempotencyKey, expectedRevision: shown.revision, command },
      });
    } catch (failure) {
      if (failure instanceof ConflictError) this.detail = failure.current as HazardDetail;
      throw failure;
    }
  }

  pin(action: HazardAction): void {
    if (!this.pinned.includes(action)) this.pinned = [...this.pinned, action];
  }

  unpin(action: HazardAction): void {
    this.pinned = this.pinned.filter((pinned) => pinned !== action);
  }
}
