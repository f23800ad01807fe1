/**
 * The context key under which a record's page gives its photos' read URLs (by key) to the
 * entries of its timeline: a getter, so that each entry sees the URLs of the page as read.
 */
export const photoUrlsContext = Symbol('photo read URLs');
