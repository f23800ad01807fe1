import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import adapter from '@sveltejs/adapter-static';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig, type Plugin } from 'vite';
import { i18nOptions } from './i18n.config.ts';
import { officeClientOnly } from './src/routes/office/client-only-build.ts';
import { reportIsland } from './src/routes/report/island-build.ts';

/** In `vite dev` and `vite preview`, the embedded cloud answers what the static host would. */
const embeddedCloud = process.env.QINGLING_API_ORIGIN ?? 'http://127.0.0.1:8787';
const proxy = Object.fromEntries(
  ['/config.json', '/auth', '/api'].map((path) => [path, embeddedCloud]),
);

/**
 * A build compiles the messages by scripts/compile-messages.ts, in a process of its own: it
 * compiles once and reuses the output while the messages are unchanged, and it exits when
 * done (the inlang SDK's timers kept the build's process alive for 30 s after it was done).
 * The build goes on meanwhile; only what imports the messages waits for them.
 * `vite dev` uses Paraglide's plugin, which recompiles when a message file changes.
 */
function compileMessages(): Plugin {
  let compiled: Promise<unknown> | undefined;
  const script = fileURLToPath(new URL('./scripts/compile-messages.ts', import.meta.url));
  const messagesCompiled = async () => {
    await compiled;
    return null;
  };
  return {
    name: 'qingling:compile-messages',
    apply: 'build',
    enforce: 'pre',
    buildStart() {
      compiled ??= promisify(execFile)(process.execPath, [script]).then(
        ({ stdout }) => process.stdout.write(stdout),
        (error: { stdout?: string; stderr?: string; message: string }) => {
          throw new Error(`${error.stdout ?? ''}${error.stderr ?? ''}` || error.message);
        },
      );
      compiled.catch(() => {}); // fails the build from the hooks below
    },
    resolveId: { filter: { id: /paraglide/ }, handler: messagesCompiled },
    load: { filter: { id: /[\\/]src[\\/]lib[\\/]paraglide[\\/]/ }, handler: messagesCompiled },
    async buildEnd() {
      await compiled;
    },
  };
}

const paraglide = async () =>
  (await import('@inlang/paraglide-js')).paraglideVitePlugin({
    ...i18nOptions,
    strategy: [...i18nOptions.strategy],
  });

// Paraglide's plugin is imported for `vite dev` only: it takes 0.3 s, and a build reads this
// file three times (SvelteKit's route analysis and prerendering read it again).
export default defineConfig(async ({ command }) => ({
  // No dependency lists for Vite's preload helper in the entry: with one per route they
  // grew the JS every public page loads with each office route (~120 B gz a route). Each
  // prerendered page already names its own modules, and navigation loads a route's.
  build: { modulePreload: false },
  server: { proxy },
  preview: { proxy },
  plugins: [
    // The report page hydrates its form alone, without SvelteKit's client (island-build.ts).
    reportIsland(),
    // The office console is built for the browser only (client-only-build.ts).
    officeClientOnly(),
    command === 'build' ? compileMessages() : await paraglide(),
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
}));
