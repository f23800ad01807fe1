import type { Plugin } from 'vite';

/** The office console's route components: its pages and layouts, not its shared parts. */
const officeRouteComponent =
  /[\\/]src[\\/]routes[\\/]office[\\/](?:.*[\\/])?\+(?:page|layout)\.svelte$/;

/**
 * What the server build gets in their place. The server never renders it; if a page of the
 * console were ever rendered there (an `ssr = true`), the build's prerendering or the page
 * fails with this error rather than sending an empty page.
 */
const serverPlaceholder = `<script>
  throw new Error(
    'The office console renders in the browser only (ssr = false): the server build has none of its components (web/src/routes/office/client-only-build.ts).',
  );
</script>
`;

/**
 * The office console renders in the browser only (+layout.ts: `ssr = false`), so SvelteKit's
 * server never calls its components; it still builds them for the server, and everything
 * they import. This gives the server build a placeholder in their place, so the office
 * console (two thirds of the app's Svelte) is compiled once, for the browser, instead of
 * twice: the web build took 10.9 s instead of 12.5-14 s (its server part 1.8 s instead of
 * 3.4-5.5 s), and the pages and the browser's files it makes are the same, byte for byte.
 * For vite.config.ts: `plugins: [officeClientOnly(), …, sveltekit(…)]`.
 */
export function officeClientOnly(): Plugin {
  return {
    name: 'qingling:office-client-only',
    apply: 'build',
    enforce: 'pre',
    applyToEnvironment: (environment) => environment.name === 'ssr',
    load: {
      filter: { id: officeRouteComponent },
      handler: () => serverPlaceholder,
    },
  };
}
