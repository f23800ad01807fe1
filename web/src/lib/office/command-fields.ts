import { m } from '#lib/paraglide/messages.js';
import { type DeadlineChoice, deadlineInput, emptyDeadline } from './deadline-choice.ts';
import type { FormErrors } from './form-errors.svelte.ts';

/**
 * A field of a command form (FieldsCommandForm), declared rather than written out: the form
 * lays it out, keeps what is typed, names it in the error summary and clears it once the
 * command is recorded. `key` is the command's property and the error key; the summary
 * names the field by its label, as the person reads it above the field.
 */
export type CommandField = { key: string; label: string } & (
  | {
      kind: 'text';
      /** Several lines; one line without. */
      rows?: number;
      maxlength?: number;
      type?: 'text' | 'date';
      min?: string;
    }
  | { kind: 'deadline' }
  | { kind: 'choice'; options: { value: string; label: string }[] }
);

/** What the fields hold, by key: text and choices as typed, a deadline as the API's input. */
export type FieldValues = Readonly<Record<string, unknown>>;

/** The form's state: text and choices by key, deadlines by key. */
export interface FieldState {
  texts: Record<string, string>;
  deadlines: Record<string, DeadlineChoice>;
}

export function emptyFields(fields: readonly CommandField[]): FieldState {
  const state: FieldState = { texts: {}, deadlines: {} };
  for (const field of fields) {
    if (field.kind === 'deadline') state.deadlines[field.key] = emptyDeadline();
    else state.texts[field.key] = '';
  }
  return state;
}

/**
 * The values a command is made of; a deadline left empty or unreadable, or a date left
 * empty, sets its error (the schema would say "YYYY-MM-DD" of a date not chosen).
 */
export function fieldValues(
  fields: readonly CommandField[],
  state: FieldState,
  errors: FormErrors,
): FieldValues {
  return Object.fromEntries(
    fields.map((field) => {
      if (field.kind === 'deadline') {
        const choice = state.deadlines[field.key] ?? emptyDeadline();
        return [field.key, deadlineInput(choice, errors, field.key)];
      }
      const typed = state.texts[field.key] ?? '';
      if (field.kind === 'text' && field.type === 'date' && !typed) {
        errors.set(field.key, m.hz_check_date());
      }
      return [field.key, typed];
    }),
  );
}

/** The fields by key, with the label the error summary uses, in the order of the form. */
export const summaryLabels = (fields: readonly CommandField[]): Record<string, string> =>
  Object.fromEntries(fields.map((field) => [field.key, field.label]));

// The fields the hazard's commands share (a leader's reason, a document number).
export const reasonField = (maxlength = 2000): CommandField => ({
  kind: 'text',
  key: 'reason',
  label: m.hz_field_reason(),
  rows: 3,
  maxlength,
});

export const documentNumberField = (): CommandField => ({
  kind: 'text',
  key: 'documentNumber',
  label: m.hz_field_document_number(),
  maxlength: 60,
});
