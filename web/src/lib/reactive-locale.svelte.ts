import { getLocaleForUrl, isServer, overwriteGetLocale } from '#lib/paraglide/runtime.js';
import { page } from '$app/state';

/**
 * The locale still comes from the URL, but reading it also reads the page's URL and
 * `changes`, so that every text rendered from a message depends on them and renders again
 * when the address changes language without a reload (language-in-place.svelte.ts).
 * Installed when this module is first imported: what rendered before keeps its language.
 */
let changes = $state(0);

if (!isServer) {
  overwriteGetLocale(() => {
    void page.url;
    void changes;
    return getLocaleForUrl(location.href);
  });
}

/** Renders again what was rendered from messages, after the URL changed language. */
export function localeChanged() {
  changes += 1;
}
