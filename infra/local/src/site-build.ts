/**
 * The web build `npm start` runs beside the stack's start (scripts/start.mjs): the stack
 * starts while the pages build, and answers only once both are done. Run on its own
 * (tests, benches, `node infra/local/src/main.ts`), there is no build to wait for.
 */
let siteBuild: Promise<boolean> = Promise.resolve(true);

export class SiteBuildFailed extends Error {}

/** npm start's build under way: resolves false when it failed (it has said why). */
export function startingWithSiteBuild(build: Promise<boolean>): void {
  siteBuild = build;
}

/** Resolves once the pages are built; throws SiteBuildFailed when the build failed. */
export async function siteBuilt(): Promise<void> {
  if (!(await siteBuild)) throw new SiteBuildFailed('the web build failed');
}
