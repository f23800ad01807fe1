import type { Validated } from '@qingling/shared/api/validation.ts';
import type { Component } from 'svelte';
import { RequestError } from '#lib/api.ts';
import { text } from '#lib/i18n.ts';
import { m } from '#lib/paraglide/messages.js';
import { ConflictError, officeRequest } from '../office-api.ts';

/** What every record the console shows has: the revision a command is given on. */
export interface Revisioned {
  revision: number;
}

/** What the console says when a command lost to someone who acted first, per record kind. */
export interface ConflictWords {
  title: () => string;
  text: () => string;
  unavailable: () => string;
  changes: () => string;
}

/**
 * What differs between the kinds of record (a hazard, a tip) where the console handles them
 * the same way: where the record is, how a command is checked, what is said on a conflict,
 * and what came into the record between two readings of it (and how one such entry is shown).
 */
export interface RecordKind<Detail extends Revisioned, Command, Entry> {
  /** The API path of the record named `id`. */
  path: (id: string) => string;
  /** Checks a command as typed before it is sent (the shared schema). */
  check: (command: unknown) => Validated<Command>;
  /** Where the page says that a command was recorded; focus moves there. */
  noticeId: string;
  conflict: ConflictWords;
  /** What `after` has that `before` did not, oldest first. */
  newEntries: (before: Detail | undefined, after: Detail | undefined) => Entry[];
  entryKey: (entry: Entry, index: number) => string | number;
  /** One such entry, as the record's timeline shows it. */
  Entry: Component<{ entry: Entry }>;
}

/**
 * One record's page as the console holds it: the record as last read, and the commands
 * given on it. A command carries the revision shown; when someone acted first, the record
 * becomes what the server has now and the form that was refused stays (pinned) so that
 * what the officer typed can be sent again on the new revision.
 */
export class OfficeRecord<Detail extends Revisioned, Action extends string, Command, Entry> {
  readonly id: string;
  readonly kind: RecordKind<Detail, Command, Entry>;
  detail = $state.raw<Detail>();
  error = $state<string>();
  /** What the last command did, said at the top of the actions. */
  notice = $state<string>();
  /** Forms kept on the page after a conflict, even where the new status has no place for them. */
  pinned = $state<Action[]>([]);

  constructor(kind: RecordKind<Detail, Command, Entry>, id: string) {
    this.kind = kind;
    this.id = id;
  }

  get path(): string {
    return this.kind.path(this.id);
  }

  async load(): Promise<void> {
    this.error = undefined;
    try {
      this.detail = await officeRequest<Detail>(this.path);
    } catch (failure) {
      this.error = failure instanceof RequestError ? text(failure.text) : m.error_unexpected();
    }
  }

  /**
   * Gives a command on the revision shown; a retry must pass the same idempotency key. The
   * last notice goes (it spoke of an earlier command). Done, the form of `action` is no
   * longer kept. On a conflict the form of `action` is pinned before the record shows what
   * the server has now (sent with the answer, or else read again), so that the form (and
   * what was typed in it) stays even where the new status has no place for it.
   */
  async give(action: Action, command: Command, idempotencyKey: string): Promise<void> {
    const shown = this.detail;
    if (!shown) throw new Error('no record loaded');
    this.notice = undefined;
    try {
      this.detail = this.received(
        await officeRequest<Detail>(`${this.path}/commands`, {
          body: { idempotencyKey, expectedRevision: shown.revision, command },
        }),
      );
      this.unpin(action);
    } catch (failure) {
      if (failure instanceof RequestError && failure.code === 'conflict') {
        this.pin(action);
        if (failure instanceof ConflictError)
          this.detail = this.received(failure.current as Detail);
        else await this.load();
      }
      throw failure;
    }
  }

  /** The record as a command's answer gives it, kept with what only reading it gives. */
  protected received(reply: Detail): Detail {
    return reply;
  }

  /** The forms to show: those valid now, then any kept after someone else acted first. */
  shown(available: readonly Action[]): Action[] {
    return [...available, ...this.pinned.filter((action) => !available.includes(action))];
  }

  pin(action: Action): void {
    if (!this.pinned.includes(action)) this.pinned = [...this.pinned, action];
  }

  unpin(action: Action): void {
    this.pinned = this.pinned.filter((pinned) => pinned !== action);
  }
}
