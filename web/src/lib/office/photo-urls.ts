/**
 * The context key under which a record's page gives its photos' read URLs (by key) to the
 * entries of its timeline: a getter, so that each entry sees the URLs of the page as read.
 */
export const photoUrlsContext = Symbol('photo read URLs');

/** What an answer carries for its photos: full-size and thumbnail read URLs, by photo key. */
export interface PhotoUrls {
  photoUrls?: Record<string, string> | undefined;
  thumbnailUrls?: Record<string, string> | undefined;
}

/** A photo as the viewer takes it, from its key and the answer's URLs. */
export const photoOf = (urls: PhotoUrls | undefined, key: string) => ({
  key,
  url: urls?.photoUrls?.[key],
  thumbnailUrl: urls?.thumbnailUrls?.[key],
});
