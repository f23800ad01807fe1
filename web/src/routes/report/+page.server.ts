import { afterFirstPaint } from '#lib/after-first-paint.server.ts';
import { industries } from '#lib/tips/industries.server.ts';
import { immutable } from '$app/manifest';
import { reportIslandName } from './island-build.ts';

/**
 * The page's island (island.ts), where the build made one (vite.config.ts: reportIsland()):
 * the form is then hydrated on its own and the page loads none of SvelteKit's client. A build
 * without it (`vite dev`) hydrates the page with SvelteKit, as any other page. (While
 * SvelteKit analyses the build, before the client's is made, there is no list of files yet.)
 */
const island = Array.isArray(immutable)
  ? immutable.find(({ path }) => path.endsWith('.js') && path.includes(`/${reportIslandName}.`))
      ?.path
  : undefined;

export const csr = island === undefined;

/** Starts the island once the page is painted, as SvelteKit starts its own pages. */
const islandScript =
  island &&
  `<script>${afterFirstPaint}.then(() => import(${JSON.stringify(`/${island}`)}))</script>`;

// Prerendered with the industry list in the page; the form itself needs JavaScript to send.
export const load = () => ({ industries, islandScript });
