import { cstMinute as cstMinuteOf } from '@qingling/shared/calendar/cst-minute.ts';
import type { Bilingual } from '@qingling/shared/i18n/text.ts';
import { ConflictError, type FieldIssue, RequestError } from '#lib/api.ts';
import { text } from '#lib/i18n.ts';
import { m } from '#lib/paraglide/messages.js';
import { issuesByPath } from './admin-policies.ts';

export type EditOutcome = 'saved' | 'conflict' | 'invalid';

/** A record an administrator saves whole, at the version it was read at. */
export interface Versioned {
  version: number;
}

/**
 * An administrator's versioned edit, as the policy, reward policy and calendar pages make
 * it: one save at a time; the saved record shown; a 409 answered with the record as it is
 * now, which is shown and said; the server's issues kept by field path, each said beside
 * its field (`fieldId`, `describedBy`); anything else a failure in the reader's language.
 * `Form` names a page's forms when it has several (the policy page: limits and ladder).
 */
export class VersionedEdit<Form extends string = 'form'> {
  saving = $state(false);
  notice = $state<{ form: Form; kind: EditOutcome }>();
  issues = $state<Record<string, Bilingual>>({});
  failure = $state<string>();
  private readonly idPrefix: string;

  constructor(idPrefix: string) {
    this.idPrefix = idPrefix;
  }

  /** Sends `request` unless a save is under way; shows what comes back, or the conflict. */
  async save<View>(
    form: Form,
    request: () => Promise<View>,
    show: (view: View) => void | Promise<void>,
  ): Promise<EditOutcome | undefined> {
    if (this.saving) return undefined;
    this.saving = true;
    this.issues = {};
    this.notice = undefined;
    try {
      await show(await request());
      return this.said(form, 'saved');
    } catch (error) {
      if (error instanceof ConflictError) {
        await show(error.current as View);
        return this.said(form, 'conflict');
      }
      if (error instanceof RequestError && error.issues.length) {
        this.issues = issuesByPath(error.issues);
        return this.said(form, 'invalid');
      }
      this.fail(error);
      return undefined;
    } finally {
      this.saving = false;
    }
  }

  /**
   * What the page found wrong before sending (the same schema as the server's): said beside
   * each field as a server's refusal would be, and nothing is sent.
   */
  refuse(form: Form, issues: readonly FieldIssue[]): EditOutcome {
    this.issues = issuesByPath(issues);
    return this.said(form, 'invalid');
  }

  /** A read or a save that failed for another reason than the input. */
  fail(error: unknown): void {
    this.failure = error instanceof RequestError ? text(error.text) : m.error_unexpected();
  }

  /** Forgets what the last save said (another record chosen). */
  reset(): void {
    this.issues = {};
    this.notice = undefined;
    this.failure = undefined;
  }

  fieldId(path: string): string {
    return `${this.idPrefix}-${path.replaceAll('.', '-')}`;
  }

  errorOf(path: string): string | undefined {
    const issue = this.issues[path];
    return issue ? text(issue) : undefined;
  }

  describedBy(path: string, hint?: string): string | undefined {
    return (
      [hint, this.issues[path] ? `${this.fieldId(path)}-error` : ''].filter(Boolean).join(' ') ||
      undefined
    );
  }

  /** The issues no field of the page shows (the record as a whole, an order of steps). */
  unplacedIssues(hasField: (id: string) => boolean): string[] {
    return Object.entries(this.issues)
      .filter(([path]) => !hasField(this.fieldId(path)))
      .map(([, message]) => text(message));
  }

  private said(form: Form, kind: EditOutcome): EditOutcome {
    this.notice = { form, kind };
    return kind;
  }
}

/** An instant the API gave as CST wall time to the minute: "2026-12-03 22:30". */
export const cstMinute = (iso: string): string => cstMinuteOf(new Date(iso));
