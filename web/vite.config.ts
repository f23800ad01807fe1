import { paraglideVitePlugin } from '@inlang/paraglide-js';
import adapter from '@sveltejs/adapter-static';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';
import { i18nOptions } from './i18n.config.ts';

/** In `vite dev` and `vite preview`, the embedded cloud answers what the static host would. */
const embeddedCloud = process.env.QINGLING_API_ORIGIN ?? 'http://127.0.0.1:8787';
const proxy = Object.fromEntries(
  ['/config.json', '/auth', '/api'].map((path) => [path, embeddedCloud]),
);

export default defineConfig({
  // No dependency lists for Vite's preload helper in the entry: with one per route they
  // grew the JS every public page loads with each office route (~120 B gz a route). Each
  // prerendered page already names its own modules, and navigation loads a route's.
  build: { modulePreload: false },
  server: { proxy },
  preview: { proxy },
  plugins: [
    paraglideVitePlugin({ ...i18nOptions, strategy: [...i18nOptions.strategy] }),
    sveltekit({
      // Public pages are prerendered (one file per language); the office console is a
      // client-side app served by the fallback page for any path that has no file.
      adapter: adapter({ pages: 'build', assets: 'build', fallback: '200.html' }),
      paths: { relative: false },
      // The public pages' CSS is a few KB: inline it rather than make a slow network wait.
      inlineStyleThreshold: 8192,
      // Registered by the report page only (src/service-worker keeps that page offline).
      serviceWorker: { register: false },
    }),
  ],
});
