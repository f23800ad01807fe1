import type { ApiError } from '@qingling/shared/api/errors.ts';
import {
  proofChallengeHeader,
  proofHeader,
  solveChallenge,
} from '@qingling/shared/api/proof-of-work.ts';
import type { Bilingual } from '@qingling/shared/i18n/text.ts';
import { m } from '#lib/paraglide/messages.js';
import { proofProgress } from '#lib/proof-progress.svelte.ts';

/** A problem with one field of a request, as the API reports it (path like "contactPhone"). */
export interface FieldIssue {
  path: string;
  message: Bilingual;
}

/** A failed request: the API's own error, or `network` when no answer came back. */
export class RequestError extends Error {
  readonly status: number;
  readonly code: string;
  readonly text: Bilingual;
  readonly issues: FieldIssue[];

  constructor(status: number, code: string, text: Bilingual, issues: FieldIssue[] = []) {
    super(text.en);
    this.name = 'RequestError';
    this.status = status;
    this.code = code;
    this.text = text;
    this.issues = issues;
  }

  /** No answer, or one a retry may fix (a gateway or the service being briefly away). */
  get retryable(): boolean {
    return this.status === 0 || this.status === 408 || this.status >= 500;
  }
}

/**
 * A 409: someone acted on the record first. `current` is the record as it is now (the API
 * sends it along), so the page can show what changed and keep what the officer typed.
 */
export class ConflictError<T> extends RequestError {
  readonly current: T;

  constructor(error: RequestError, current: T) {
    super(error.status, error.code, error.text, error.issues);
    this.name = 'ConflictError';
    this.current = current;
  }
}

const bothLanguages = (
  message: (inputs: object, options: { locale: 'zh-CN' | 'en' }) => string,
): Bilingual => ({
  zh: message({}, { locale: 'zh-CN' }),
  en: message({}, { locale: 'en' }),
});

export const networkError = () => new RequestError(0, 'network', bothLanguages(m.error_network));
export const unexpectedError = (status: number) =>
  new RequestError(status, 'unexpected', bothLanguages(m.error_unexpected));

const isBilingual = (value: unknown): value is Bilingual =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Bilingual).zh === 'string' &&
  typeof (value as Bilingual).en === 'string';

/**
 * The API's error body (shared/api/errors.ts), checked by hand: the public pages must not
 * pay for a schema library to read an error.
 */
export function toRequestError(status: number, body: unknown): RequestError {
  const error = (body as Partial<ApiError> | undefined)?.error;
  if (!error || typeof error.code !== 'string' || !isBilingual(error.message)) {
    return unexpectedError(status);
  }
  const issues = Array.isArray(error.issues)
    ? error.issues.filter(
        (issue): issue is FieldIssue =>
          typeof issue?.path === 'string' && isBilingual(issue.message),
      )
    : [];
  return new RequestError(status, error.code, error.message, issues);
}

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
  return send<T>(path, options, undefined, true);
}

/**
 * Past a limit (too many look-ups deployment-wide, or from one address) the API answers
 * 429 with a proof-of-work puzzle: solve it here, showing progress, and send once more
 * with the answer. A 429 without one (WAF's, on AWS) is asked again with a placeholder
 * answer, which WAF lets through and the API answers with a puzzle.
 */
async function send<T>(
  path: string,
  options: RequestOptions,
  proof: string | undefined,
  mayRetry: boolean,
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (proof) headers[proofHeader] = proof;
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
    throw networkError();
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (response.ok && body !== undefined) return body as T;
  const challenge = response.headers.get(proofChallengeHeader);
  if (response.status === 429 && mayRetry && path.startsWith('/api/tips')) {
    if (!challenge) return send<T>(path, options, 'ask', !proof);
    proofProgress.active = true;
    proofProgress.percent = 0;
    try {
      const solved = await solveChallenge(challenge, {
        onProgress: (tried, expected) => {
          // Tries follow a geometric law: show the share of the average, capped below 100.
          proofProgress.percent = Math.min(99, Math.round((100 * tried) / expected));
        },
      });
      return await send<T>(path, options, solved, false);
    } finally {
      proofProgress.active = false;
    }
  }
  throw toRequestError(response.status, body);
}

/**
 * Runs `attempt` again after a lost connection or a 5xx, waiting 1 s, 2 s, 4 s… between
 * tries. Anything else (a 4xx: the request itself is wrong) is thrown at once.
 */
export async function withRetry<T>(
  attempt: () => Promise<T>,
  options: { tries?: number; firstDelayMs?: number } = {},
): Promise<T> {
  const { tries = 4, firstDelayMs = 1000 } = options;
  for (let round = 1; ; round++) {
    try {
      return await attempt();
    } catch (failure) {
      const retryable = failure instanceof RequestError && failure.retryable;
      if (!retryable || round >= tries || (typeof navigator !== 'undefined' && !navigator.onLine)) {
        throw failure;
      }
      const delay = firstDelayMs * 2 ** (round - 1) * (0.75 + Math.random() * 0.5);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
