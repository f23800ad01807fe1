/**
 * Resized photos kept on the phone (IndexedDB) while their tip is a draft or waits for the
 * network, so that a reload, a language switch or a lost connection loses none of them.
 * Every call is best effort: where IndexedDB is missing (some in-app browsers, private
 * modes) the photos simply live as long as the page.
 */
const databaseName = 'qingling-tip';
const storeName = 'photos';

let opening: Promise<IDBDatabase> | undefined;

function database(): Promise<IDBDatabase> {
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(databaseName, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(storeName);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  opening.catch(() => {
    opening = undefined;
  });
  return opening;
}

async function run<T>(
  mode: IDBTransactionMode,
  work: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const db = await database();
  return new Promise<T>((resolve, reject) => {
    const transaction = db.transaction(storeName, mode);
    const request = work(transaction.objectStore(storeName));
    transaction.oncomplete = () => resolve(request.result);
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  });
}

export async function keepPhoto(id: string, photo: Blob): Promise<void> {
  try {
    await run('readwrite', (store) => store.put(photo, id));
  } catch {
    // Kept in memory only.
  }
}

export async function keptPhoto(id: string): Promise<Blob | undefined> {
  try {
    const found = await run<unknown>('readonly', (store) => store.get(id));
    return found instanceof Blob ? found : undefined;
  } catch {
    return undefined;
  }
}

/** Deletes every kept photo except those listed (none when called without a list). */
export async function forgetPhotos(except: readonly string[] = []): Promise<void> {
  try {
    const keys = await run('readonly', (store) => store.getAllKeys());
    const stale = keys.filter((key) => !except.includes(String(key)));
    if (stale.length === 0) return;
    await run('readwrite', (store) => {
      for (const key of stale.slice(1)) store.delete(key);
      return store.delete(stale[0] as IDBValidKey);
    });
  } catch {
    // Nothing to clean, or nowhere to clean it.
  }
}
