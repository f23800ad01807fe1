import type { TipForm } from './checks.ts';
import type { CreateTipBody } from './contract.ts';

/**
 * What the report page keeps on the phone between page loads. Never the receipt: a tip sent
 * again with its idempotency key brings the same receipt back from the server.
 *
 * - the draft being typed: sessionStorage (this tab only, gone when it closes), so that a
 *   reload or a switch of language does not lose it;
 * - a tip submitted but not yet confirmed by the tipster (sending, waiting for the network,
 *   or showing its receipt): localStorage, sent again on the next visit; removed as soon as
 *   the tipster confirms that the receipt is saved.
 */
export interface Draft {
  form: TipForm;
  photoIds: string[];
}

export interface PendingTip {
  /** The body exactly as first sent: a retry must repeat it to get the same receipt. */
  tip: CreateTipBody;
  photoIds: string[];
  /** Photos already stored on the server (their ids here), not to be sent twice. */
  uploaded: string[];
  /** The server's photo slot (UploadForm.photoId) of each photo here, once known. */
  slots?: Record<string, string>;
}

const draftKey = 'qingling:tip-draft';
const pendingKey = 'qingling:pending-tip';

function read<T>(storage: () => Storage, key: string): T | undefined {
  try {
    const raw = storage().getItem(key);
    return raw ? (JSON.parse(raw) as T) : undefined;
  } catch {
    return undefined;
  }
}

function write(storage: () => Storage, key: string, value: unknown): void {
  try {
    if (value === undefined) storage().removeItem(key);
    else storage().setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or refused: the page still works, it only forgets on reload.
  }
}

const session = () => sessionStorage;
const local = () => localStorage;

export const loadDraft = () => read<Draft>(session, draftKey);
export const saveDraft = (draft: Draft | undefined) => write(session, draftKey, draft);

export function loadPending(): PendingTip | undefined {
  const pending = read<PendingTip>(local, pendingKey);
  return pending?.tip?.idempotencyKey ? pending : undefined;
}
export const savePending = (pending: PendingTip | undefined) => write(local, pendingKey, pending);
