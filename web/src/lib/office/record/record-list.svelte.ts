import { RequestError } from '#lib/api.ts';
import { text } from '#lib/i18n.ts';
import { m } from '#lib/paraglide/messages.js';
import { officeRequest } from '../office-api.ts';

/**
 * A list of records (hazards, tips, enterprises) as an office endpoint pages it: the rows in
 * the order it sends them, page after page (nextCursor). Asking for the first page again
 * (another jurisdiction or status) starts over, and an answer to an older question (another
 * tab, a slow network) is dropped rather than mixed in.
 */
export class RecordList<Row> {
  rows = $state.raw<Row[]>([]);
  nextCursor = $state<string>();
  loading = $state(false);
  error = $state<string>();
  /** The endpoint, e.g. "/api/office/hazards". */
  readonly path: string;
  /** Where the rows are in an answer, e.g. `answer.hazards`. */
  readonly field: string;
  /** Counts the lists asked for: answers about an older list are dropped. */
  protected list = 0;

  constructor(path: string, field: string) {
    this.path = path;
    this.field = field;
  }

  /** The first page (`cursor` absent) or the next; returns the rows added. */
  async load(filter: Record<string, string>, cursor?: string): Promise<Row[]> {
    if (!cursor) {
      this.list += 1;
      this.rows = [];
      this.nextCursor = undefined;
      this.started();
    }
    const question = this.list;
    this.loading = true;
    this.error = undefined;
    const query = new URLSearchParams({ ...filter, ...(cursor ? { cursor } : {}) });
    try {
      const answer = await officeRequest<Record<string, unknown> & { nextCursor?: string }>(
        `${this.path}?${query}`,
      );
      if (question !== this.list) return [];
      const added = (answer[this.field] ?? []) as Row[];
      this.rows = [...this.rows, ...added];
      this.nextCursor = answer.nextCursor;
      this.added(added, question);
      return added;
    } catch (failure) {
      if (question === this.list) {
        this.error = failure instanceof RequestError ? text(failure.text) : m.error_unexpected();
      }
      return [];
    } finally {
      if (question === this.list) this.loading = false;
    }
  }

  /** Whether `question` (the list's count when it was asked) is still the list shown. */
  protected current(question: number): boolean {
    return question === this.list;
  }

  /** A list is started over: what a kind of list keeps beside the rows goes too. */
  protected started(): void {}

  /** Rows came in for the list `question`. */
  protected added(_rows: readonly Row[], _question: number): void {}
}

/** The jurisdiction asked for in the address if the person has it, else their first one. */
export function chosenJurisdiction(asked: string | null, theirs: readonly string[]): string {
  return asked && theirs.includes(asked) ? asked : (theirs[0] ?? '');
}

/** The status asked for in the address if the list has a tab for it, else the first tab. */
export function chosenStatus<S extends string>(asked: string | null, tabs: readonly S[]): S {
  return tabs.find((tab) => tab === asked) ?? (tabs[0] as S);
}
