import type { Handle } from '@sveltejs/kit/hooks';
import { afterFirstPaint } from '#lib/after-first-paint.server.ts';
import { paraglideMiddleware } from '#lib/paraglide/server.js';
import favicon from '../static/favicon.svg?raw';

const modulePreload = /\s*<link href="(\/_app\/immutable\/[\w./-]+\.js)" rel="modulepreload">/g;
const bootImport = /import\("(\/_app\/immutable\/entry\/start\.[\w-]+\.js)"\)/;

/**
 * Prerendered pages are complete without JavaScript, so let the browser paint them before it
 * fetches and runs the app: SvelteKit's modulepreload links and its boot script would
 * otherwise have a phone (or any page whose files come from the service worker's cache) run
 * all of hydration before the first paint, which is then the LCP. The same files are still
 * preloaded together, just later: the links move into the boot script, which adds them
 * once the first paint is on the screen (after-first-paint.server.ts) and then starts the app
 * as before. The hashed paths stay in the HTML, where the service worker finds them.
 */
function paintBeforeHydrating(html: string): string {
  const boot = html.match(bootImport);
  // Only pages that hydrate prerendered markup; the fallback page (office) renders nothing.
  if (!boot || !html.includes('node_ids:')) return html;
  const files = [...html.matchAll(modulePreload)].map((match) => match[1] as string);
  return html.replace(modulePreload, '').replace(
    bootImport,
    `${afterFirstPaint}.then(() => {
						for (const href of ${JSON.stringify(files)}) {
							const link = document.createElement('link');
							link.rel = 'modulepreload';
							link.href = href;
							document.head.append(link);
						}
						return import(${JSON.stringify(boot[1])});
					})`,
  );
}

const iconLink = /<link rel="icon" href="[^"]*\/favicon\.svg" type="image\/svg\+xml">/;

/**
 * The icon in the page itself, as a data: URL of static/favicon.svg: on a slow phone network
 * its own request would be made, and waited for, before the first paint (issue 13's LCP).
 */
const inlineIcon = `<link rel="icon" href="data:image/svg+xml,${encodeURIComponent(favicon.trim())}">`;

/**
 * Runs while prerendering (there is no server at run time): takes the locale from the URL
 * for the messages rendered in this request and writes it into <html lang>, which app.html
 * sets to the base locale. The route is found by the reroute hook in hooks.ts.
 */
export const handle: Handle = ({ event, resolve }) =>
  paraglideMiddleware(event.request, ({ locale }) =>
    resolve(event, {
      transformPageChunk: ({ html }) =>
        paintBeforeHydrating(
          html
            .replace('<html lang="zh-CN">', `<html lang="${locale}">`)
            .replace(iconLink, inlineIcon),
        ),
    }),
  );
