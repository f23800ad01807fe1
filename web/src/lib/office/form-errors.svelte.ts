import type { FieldIssue } from '#lib/api.ts';
import { text } from '#lib/i18n.ts';

/**
 * The errors of one form, by field. Issues from the shared schema (in the browser) or from
 * the API (a 400 or 422) are put next to the field they name: the longest of the form's
 * field keys that the issue's path starts with ("deadline.date" → "deadline"); an issue
 * naming no field of the form is the form's own.
 */
export class FormErrors {
  readonly formId: string;
  /** The form's fields in order, each with its label (the summary names the field). */
  readonly labels: Readonly<Record<string, string>>;
  fields = $state<Record<string, string>>({});
  form = $state<string>();

  constructor(formId: string, labels: Record<string, string>) {
    this.formId = formId;
    this.labels = labels;
  }

  get keys(): string[] {
    return Object.keys(this.labels);
  }

  /** The element id of a field: `${formId}-${key}` with dots as dashes. */
  id(key: string): string {
    return `${this.formId}-${key.replaceAll('.', '-')}`;
  }

  message(key: string): string | undefined {
    return this.fields[key];
  }

  /** For aria-describedby: the field's hint (when it has one) and its error (when shown). */
  describedBy(key: string, hint = false): string | undefined {
    const ids = [
      hint ? `${this.id(key)}-hint` : '',
      this.fields[key] ? `${this.id(key)}-error` : '',
    ];
    return ids.filter(Boolean).join(' ') || undefined;
  }

  invalid(key: string): 'true' | undefined {
    return this.fields[key] ? 'true' : undefined;
  }

  clear(): void {
    this.fields = {};
    this.form = undefined;
  }

  /** The field an issue's path names, if any: the longest key the path starts with. */
  private keyOf(path: string): string | undefined {
    return this.keys
      .filter((candidate) => path === candidate || path.startsWith(`${candidate}.`))
      .sort((a, b) => b.length - a.length)[0];
  }

  /** Adds issues (the first per field wins); `prefix` is removed from the API's paths. */
  add(issues: readonly FieldIssue[], prefix = ''): void {
    for (const issue of issues) {
      const path = issue.path.startsWith(prefix) ? issue.path.slice(prefix.length) : issue.path;
      const key = this.keyOf(path);
      if (key) this.fields[key] ??= text(issue.message);
      else this.form ??= text(issue.message);
    }
  }

  /**
   * Adds the issues of the browser's own check of what the page made of the fields. When
   * the page has already found a field wrong (no outcome chosen), what it made is
   * incomplete, and an issue naming no field ("none of the accepted forms", for a command
   * with no type) only repeats that in the schema's words: it is left out.
   */
  addChecked(issues: readonly FieldIssue[]): void {
    const found = this.list.length > 0;
    for (const issue of issues) {
      const key = this.keyOf(issue.path);
      if (key) this.fields[key] ??= text(issue.message);
      else if (!found) this.form ??= text(issue.message);
    }
  }

  /** A field's own error, typed by the page (no schema issue). */
  set(key: string, message: string): void {
    this.fields[key] ??= message;
  }

  /** The field errors in the order of the form, for the summary at its top. */
  get list(): { key: string; id: string; label: string; message: string }[] {
    return this.keys
      .filter((key) => this.fields[key])
      .map((key) => ({
        key,
        id: this.id(key),
        label: this.labels[key] ?? key,
        message: this.fields[key] as string,
      }));
  }

  get empty(): boolean {
    return this.list.length === 0 && !this.form;
  }
}
