import { RequestError } from '#lib/api.ts';
import { text } from '#lib/i18n.ts';
import { m } from '#lib/paraglide/messages.js';

/** What went wrong with a request of the follow-up page, in the reader's language. */
export function describe(failure: unknown): string {
  if (!(failure instanceof RequestError)) return m.error_unexpected();
  // The API's own bilingual message; ours when something in between answered instead.
  if (failure.code === 'unexpected' && failure.status === 404) return m.lookup_not_found();
  if (failure.code === 'unexpected' && failure.status === 429) return m.lookup_too_many();
  return text(failure.text);
}
