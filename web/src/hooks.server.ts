import type { Handle } from '@sveltejs/kit/hooks';
import { paraglideMiddleware } from '#lib/paraglide/server.js';

/**
 * Runs while prerendering (there is no server at run time): takes the locale from the URL
 * for the messages rendered in this request and writes it into <html lang>, which app.html
 * sets to the base locale. The route is found by the reroute hook in hooks.ts.
 */
export const handle: Handle = ({ event, resolve }) =>
  paraglideMiddleware(event.request, ({ locale }) =>
    resolve(event, {
      transformPageChunk: ({ html }) =>
        html.replace('<html lang="zh-CN">', `<html lang="${locale}">`),
    }),
  );
