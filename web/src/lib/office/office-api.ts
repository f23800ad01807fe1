import { ConflictError, networkError, toRequestError } from '#lib/api.ts';
import { clearSession, currentToken } from '#lib/auth/session.ts';
import { href } from '#lib/i18n.ts';
import { goto } from '$app/navigation';

// A 409's error lives with the other request errors (pure, for tests); pages import it here.
export { ConflictError };

/** Back to the sign-in page: the session is gone or was refused. */
export async function signOut(): Promise<void> {
  clearSession();
  await goto(href('/office/sign-in'), { replaceState: true });
}

/**
 * Calls an office endpoint with the signed-in person's token and returns its JSON. A 401
 * ends the session (back to sign-in); a 409 with the record attached throws ConflictError;
 * any other failure throws the API's RequestError with its bilingual message.
 */
export async function officeRequest<T>(
  path: string,
  options: { body?: unknown; method?: 'POST' | 'PATCH' | 'PUT' } = {},
): Promise<T> {
  const token = currentToken();
  if (!token) {
    await signOut();
    throw toRequestError(401, undefined);
  }
  const headers: Record<string, string> = {
    accept: 'application/json',
    authorization: `Bearer ${token}`,
  };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.body === undefined ? 'GET' : (options.method ?? 'POST'),
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
  } catch {
    throw networkError();
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (response.ok && body !== undefined) return body as T;
  const error = toRequestError(response.status, body);
  if (response.status === 401) await signOut();
  const current = (body as { error?: { current?: unknown } } | undefined)?.error?.current;
  if (response.status === 409 && current !== undefined) throw new ConflictError(error, current);
  throw error;
}
