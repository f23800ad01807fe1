import { getLocale, getLocaleForUrl, localizeHref } from '#lib/paraglide/runtime.js';
import { localeChanged } from '#lib/reactive-locale.svelte.ts';
import { beforeNavigate, goto } from '$app/navigation';
import { page } from '$app/state';

/**
 * Switching a page's language in place, for a page whose state must not be written anywhere:
 * the follow-up page keeps an open tip's receipt in memory only, and loading the page of the
 * other language (what the header's language links do) would forget it.
 *
 * Registers, for the calling component's lifetime, that a link to this same page in the other
 * language changes the address instead (same history entry, nothing loaded) and renders the
 * page again in that language, its state untouched.
 */
export function switchLanguageInPlace() {
  beforeNavigate((navigation) => {
    const to = navigation.to?.url;
    if (navigation.type !== 'link' || !to || to.origin !== location.origin) return;
    const locale = getLocaleForUrl(to);
    if (locale === getLocale() || localizeHref(location.pathname, { locale }) !== to.pathname) {
      return;
    }
    navigation.cancel();
    void goto(to, { replace: true, shallow: true, state: page.state }).then(() => {
      document.documentElement.lang = locale;
      localeChanged();
    });
  });
}
