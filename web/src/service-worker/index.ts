/**
 * Keeps the report page usable without a network. The page registers this worker with its
 * own path as scope (/report/ or /en/report/), so it controls that page and nothing else.
 * It keeps the page, the files it loads and the last list of jurisdictions; tips themselves
 * are queued by the page (localStorage and IndexedDB), and no request that carries a tip or
 * a receipt (all POST) is ever touched here.
 */
import { version } from '$app/env';
import { self } from '$app/service-worker';

const cacheName = `qingling-report-${version}`;
const page = new URL(self.registration.scope).pathname;
const jurisdictions = '/api/jurisdictions';
const hashedFile = /\/_app\/immutable\/[\w./-]+\.(?:js|css)/g;
/** A module's imports of its neighbours, static or lazy: `from"./a.js"`, `import(`../b/c.js`)`. */
const relativeImport = /["'`](\.\.?\/[\w./-]+\.js)["'`]/g;

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(cacheName);
      const response = await fetch(page, { cache: 'no-cache' });
      if (!response.ok) throw new Error(`${page}: ${response.status}`);
      // The hashed files the page loads: those its HTML names (preloads and imports), then
      // those its code imports, at once or later (e.g. the receipt's panel, loaded once a tip
      // is sent): by absolute path, or relative to the importing file. The app's entry
      // imports every route of the site, the office's too: not followed.
      const html = await response.clone().text();
      const assets = new Set(html.match(hashedFile));
      let added = [...assets];
      while (added.length > 0) {
        await cache.addAll(added);
        const found: string[] = [];
        for (const path of added) {
          if (!path.endsWith('.js') || path.startsWith('/_app/immutable/entry/app.')) continue;
          const code = await (await cache.match(path))?.text();
          const neighbours = [...(code?.matchAll(relativeImport) ?? [])].map(
            ([, file]) => new URL(file as string, new URL(path, self.location.origin)).pathname,
          );
          for (const file of [...(code?.match(hashedFile) ?? []), ...neighbours]) {
            if (!assets.has(file)) found.push(file);
            assets.add(file);
          }
        }
        added = found;
      }
      await cache.put(page, response);
      // The list the form chooses from; the page fetched it before this worker was there.
      const list = await fetch(jurisdictions).catch(() => undefined);
      if (list?.ok) await cache.put(jurisdictions, list);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key !== cacheName && key.startsWith('qingling-report-')) await caches.delete(key);
      }
      await self.clients.claim();
    })(),
  );
});

/** The network first; the kept copy when there is no network. */
async function networkFirst(request: Request, key: string): Promise<Response> {
  const cache = await caches.open(cacheName);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(key, response.clone());
    return response;
  } catch (failure) {
    const cached = await cache.match(key);
    if (cached) return cached;
    throw failure;
  }
}

/** Hashed names never change content: a kept copy is always right. */
async function cacheFirst(request: Request): Promise<Response> {
  const cache = await caches.open(cacheName);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate' && url.pathname === page) {
    event.respondWith(networkFirst(request, page));
  } else if (url.pathname === jurisdictions && !url.search) {
    event.respondWith(networkFirst(request, jurisdictions));
  } else if (url.pathname.startsWith('/_app/immutable/')) {
    event.respondWith(cacheFirst(request));
  }
});
