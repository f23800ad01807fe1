import type { Validated } from '@qingling/shared/api/validation.ts';
import { RequestError, withRetry } from '#lib/api.ts';
import { text } from '#lib/i18n.ts';
import { m } from '#lib/paraglide/messages.js';
import type { FormErrors } from '../form-errors.svelte.ts';

/** How one form makes a new record: what it sends, and what it does with the answer. */
export interface SubmitSteps<Data, Answer> {
  /** What is typed, as the API takes it, under `idempotencyKey`; may set errors of its own. */
  draft: (idempotencyKey: string) => unknown;
  /** The API's own schema, in the browser. */
  check: (draft: unknown) => Validated<Data>;
  send: (data: Data) => Promise<Answer>;
  /** Where the answer leads (the new record's page, a receipt). */
  done: (answer: Answer, data: Data) => unknown;
  /** A refusal that still leads somewhere (the record exists already); true when it did. */
  settled?: (failure: unknown) => Promise<boolean>;
}

/**
 * The sending of a form that makes a record (a hazard, a tip entered by an officer): what
 * was typed is checked with the API's schema, then sent under an idempotency key made once
 * per submission, kept while the network makes it try again (or the officer does, after a
 * failure that may pass), and dropped once the server decided. The API's reasons go next
 * to the fields, or at the top of the form. Returns what the form should show next: its
 * error summary ('invalid', 'failed') or nothing ('sent', 'busy').
 */
export class Submission {
  busy = $state(false);
  readonly errors: FormErrors;
  /** The key of the submission that may still be retried. */
  idempotencyKey: string | undefined;

  constructor(errors: FormErrors) {
    this.errors = errors;
  }

  async submit<Data, Answer>(
    steps: SubmitSteps<Data, Answer>,
  ): Promise<'busy' | 'invalid' | 'sent' | 'failed'> {
    if (this.busy) return 'busy';
    const errors = this.errors;
    errors.clear();
    this.idempotencyKey ??= crypto.randomUUID();
    const checked = steps.check(steps.draft(this.idempotencyKey));
    if (!checked.success) errors.addChecked(checked.issues);
    if (!errors.empty || !checked.success) return 'invalid';
    this.busy = true;
    try {
      const answer = await withRetry(() => steps.send(checked.data));
      this.idempotencyKey = undefined;
      await steps.done(answer, checked.data);
      return 'sent';
    } catch (failure) {
      if (await steps.settled?.(failure)) {
        this.idempotencyKey = undefined;
        return 'sent';
      }
      if (failure instanceof RequestError) {
        if (!failure.retryable) this.idempotencyKey = undefined;
        errors.add(failure.issues);
        errors.form ??= text(failure.text);
      } else {
        errors.form = m.error_unexpected();
      }
      return 'failed';
    } finally {
      this.busy = false;
    }
  }
}
