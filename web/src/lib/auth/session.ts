/**
 * The signed-in session: the ID token, kept in sessionStorage so that it lives as long as
 * the browser tab and no longer. The API verifies the token; the browser only carries it.
 */
/** Where the session is kept (the e2e tests sign a tab in by it). */
export const sessionKey = 'qingling:session';
const key = sessionKey;

interface Session {
  idToken: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export function saveSession(idToken: string, expiresInSeconds: number): void {
  const session: Session = { idToken, expiresAt: Date.now() + expiresInSeconds * 1000 };
  sessionStorage.setItem(key, JSON.stringify(session));
}

/** The token to send, or null when nobody is signed in or the token has expired. */
export function currentToken(): string | null {
  try {
    const session = JSON.parse(sessionStorage.getItem(key) ?? 'null') as Session | null;
    if (session && typeof session.idToken === 'string' && session.expiresAt > Date.now()) {
      return session.idToken;
    }
  } catch {
    // A damaged entry counts as signed out.
  }
  return null;
}

export function clearSession(): void {
  sessionStorage.removeItem(key);
}
