// Runs first in every npm script. The stack needs Node >= 22; the pinned `node` dev
// dependency puts Node 24 first on the PATH of npm scripts, so an older Node here means
// `npm ci` has not been run (or was run with --ignore-scripts).
const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  console.error(
    `Qingling needs Node.js >= 22, but this script runs on Node ${process.versions.node}.\n` +
      'Run `npm ci` first: it installs Node 24 into node_modules/.bin, which npm scripts use.\n' +
      '(Do not pass --ignore-scripts: the Node 24 binary is put in place by an install script.)',
  );
  process.exit(1);
}
