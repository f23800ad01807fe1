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

/**
 * An answer that names the same photos but carries no read URLs (a tip command's: only
 * reading the tip signs them) keeps those the page already had for them.
 */
export function keepPhotoUrls<Answer extends PhotoUrls>(
  shown: PhotoUrls | undefined,
  answer: Answer,
  keys: readonly string[],
): Answer {
  if (answer.photoUrls || !shown?.photoUrls) return answer;
  const kept = (urls: Record<string, string> | undefined) =>
    Object.fromEntries(keys.flatMap((key) => (urls?.[key] ? [[key, urls[key]]] : [])));
  return { ...answer, photoUrls: kept(shown.photoUrls), thumbnailUrls: kept(shown.thumbnailUrls) };
}
