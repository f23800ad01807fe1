// npm start: checks the Node version, builds the web app if its sources changed (quietly,
// see build-web-if-stale.mjs), then runs the embedded cloud (infra/local/src/main.ts) in
// this process. Its modules load while the build runs in processes of their own.
import './require-node.mjs';
import { buildWebIfStale } from './build-web-if-stale.mjs';

const built = buildWebIfStale();
const loading = import('../infra/local/src/embedded-cloud.ts');
loading.catch(() => {}); // reported by the await below, once the build is done
if (!(await built)) process.exit(1);
await loading;
await import('../infra/local/src/main.ts');
