import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

/** The island's name in the build: _app/immutable/entry/report-island.[hash].js. */
export const reportIslandName = 'entry/report-island';

/**
 * The report page's island (island.ts) as an entry of SvelteKit's client build, beside
 * SvelteKit's own: for vite.config.ts, `plugins: [reportIsland(), …, sveltekit(…)]`. The
 * prerendered page finds the entry in `$app/manifest` (+page.server.ts). Only `vite build`
 * makes one; `vite dev` serves the page with SvelteKit's client.
 */
export function reportIsland(): Plugin {
  const entry = fileURLToPath(new URL('./island.ts', import.meta.url));
  return {
    name: 'qingling:report-island',
    apply: 'build',
    configEnvironment(name, config) {
      const input = config.build?.rolldownOptions?.input;
      // SvelteKit names its client entries; with one bundle for the whole app (its
      // bundleStrategy 'single' or 'inline') there is no island to add.
      if (name !== 'client' || typeof input !== 'object' || Array.isArray(input)) return;
      return { build: { rolldownOptions: { input: { [reportIslandName]: entry } } } };
    },
  };
}
