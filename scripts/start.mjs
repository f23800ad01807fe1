// npm start: checks the Node version, builds the web app if its sources changed (quietly,
// see build-web-if-stale.mjs), and runs the embedded cloud (infra/local/src/main.ts) in this
// process. The stack starts while the build runs in processes of their own (on a fresh
// checkout both take seconds), and answers once both are done.
import './require-node.mjs';
import { buildWebIfStale } from './build-web-if-stale.mjs';

const built = buildWebIfStale();
const { startingWithSiteBuild } = await import('../infra/local/src/site-build.ts');
startingWithSiteBuild(built);
await import('../infra/local/src/main.ts');
