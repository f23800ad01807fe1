import { apiErrorSchema } from '@qingling/shared/api/errors.ts';
import type { Bilingual } from '@qingling/shared/i18n/text.ts';
import { m } from '#lib/paraglide/messages.js';

/** A failed request: the API's own error, or `network` when no answer came back. */
export class RequestError extends Error {
  readonly status: number;
  readonly code: string;
  readonly text: Bilingual;

  constructor(status: number, code: string, text: Bilingual) {
    super(text.en);
    this.name = 'RequestError';
    this.status = status;
    this.code = code;
    this.text = text;
  }
}

const bothLanguages = (
  message: (inputs: object, options: { locale: 'zh-CN' | 'en' }) => string,
) => ({
  zh: message({}, { locale: 'zh-CN' }),
  en: message({}, { locale: 'en' }),
});

interface RequestOptions {
  method?: 'GET' | 'POST';
  /** Sent as JSON. */
  body?: unknown;
  /** Bearer token of the signed-in person. */
  token?: string | null;
  /** The fetch to use (a load function's, in SvelteKit). */
  fetch?: typeof fetch;
}

/**
 * Calls a same-origin endpoint (`/config.json`, `/auth/*`, `/api/*`) and returns its JSON.
 * Throws a RequestError carrying the API's bilingual message when the answer is not 2xx.
 */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(path, {
      method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
  } catch {
    throw new RequestError(0, 'network', bothLanguages(m.error_network));
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (response.ok && body !== undefined) return body as T;
  const parsed = apiErrorSchema.safeParse(body);
  if (parsed.success) {
    const { code, message } = parsed.data.error;
    throw new RequestError(response.status, code, message);
  }
  throw new RequestError(response.status, 'unexpected', bothLanguages(m.error_unexpected));
}
