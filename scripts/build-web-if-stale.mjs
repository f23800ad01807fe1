// npm start builds the web app only when its sources changed since the last build, so a
// restart takes a second instead of a build's fourteen.
import { execSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const built = (() => {
  try {
    return statSync('web/build/index.html').mtimeMs;
  } catch {
    return 0;
  }
})();

function newest(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'paraglide') continue;
    latest = Math.max(latest, newest(join(path, entry)));
  }
  return latest;
}

const sources = [
  'web/src',
  'web/messages',
  'web/static',
  'web/vite.config.ts',
  'web/package.json',
  'shared/src',
  'package-lock.json',
];
if (sources.some((source) => newest(source) > built)) {
  execSync('npm run build -w web', { stdio: 'inherit' });
} else {
  console.log('web/build is up to date');
}
