// npm start builds the web app only when its sources changed since the last build, so a
// restart takes a second instead of a build's ten. The build is quiet: its whole output goes
// to web/build.log, the terminal gets one line of progress, and a failed build prints the
// whole log.
import { spawn } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync, statSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** What the web app is built from (web/src/lib/paraglide is built too, from web/messages). */
const sources = [
  'web/src',
  'web/messages',
  'web/static',
  'web/vite.config.ts',
  'web/i18n.config.ts',
  'web/project.inlang/settings.json',
  'web/scripts/compile-messages.ts',
  'web/scripts/messages-compiler.ts',
  'web/package.json',
  'shared/src',
  'package-lock.json',
];

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

function webBuildIsStale(root = repositoryRoot) {
  const built = statSync(join(root, 'web/build/index.html'), { throwIfNoEntry: false });
  return !built || sources.some((source) => newest(join(root, source)) > built.mtimeMs);
}

const vite = join(dirname(fileURLToPath(import.meta.resolve('vite/package.json'))), 'bin/vite.js');
/**
 * The web package's `build` script (`vite build`), without npm in between, and beside it the
 * messages' compile that the build would otherwise start only once Vite is up (the build's
 * own compile then waits for this one and finds the messages compiled).
 */
const webBuild = {
  'compile-messages': [process.execPath, 'scripts/compile-messages.ts'],
  'vite build': [process.execPath, vite, 'build'],
};

/** How far the build got, from its own lines: each step's name once it is done or begun. */
function progressOf(write) {
  const environments = { ssr: 'server', client: 'client', serviceWorker: 'service worker' };
  let environment = '';
  let shown = 0;
  const show = (step) => write(`${shown++ ? ' · ' : ' '}${step}`);
  let messages = false;
  return (line) => {
    let match = /^i18n messages: (.*)/.exec(line);
    if (match && !messages) {
      messages = true; // the build's own compile says "up to date" after npm start's
      show(`i18n messages ${match[1]}`);
    }
    match = /building (\w+) environment/.exec(line);
    if (match) environment = environments[match[1]] ?? match[1];
    match = /^✓ built in (\S+)/.exec(line);
    if (match) show(`${environment} ${match[1]}`);
    if (/^Prerendering/.test(line)) show('pages');
  };
}

/** Runs a command in `cwd`; resolves with what went wrong, or nothing. */
function run(name, command, cwd, log, onLine) {
  const child = spawn(command[0], command.slice(1), { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let pending = '';
  child.stdout.on('data', (chunk) => {
    log.write(chunk);
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  child.stderr.on('data', (chunk) => log.write(chunk));
  return new Promise((resolve) => {
    child.on('error', (error) => resolve(`${name}: ${error.message}`));
    child.on('close', (code, signal) =>
      resolve(code === 0 ? undefined : `${name}: ${signal ?? `exit code ${code}`}`),
    );
  });
}

/** This process's threads (Linux: a priority is a thread's), or the process itself. */
function threadsOfThisProcess() {
  try {
    return readdirSync('/proc/self/task').map(Number);
  } catch {
    return [0];
  }
}

/**
 * While `done` is pending, this process runs at a lower priority (nice +10), then at its own
 * again. The stack starts in this process beside the build, and on a 2-core machine the
 * build is the first start's longer path: sharing the cores equally with the stack's start
 * made it about 1.5 s slower (health after 16.3 s against 14.8 s, bench/README.md, session
 * 19). On Linux a priority belongs to a thread, and threads started meanwhile (libuv's,
 * which do the local DynamoDB's disk work) take it: each thread gets its own back. Raising
 * a priority again is a privilege on Linux and macOS (root has it): without it, the server
 * keeps the lower one, which only makes it give way to other programs. Returns the
 * priority taken.
 */
export function lowerPriorityWhile(done) {
  let own;
  try {
    own = getPriority();
    setPriority(Math.min(own + 10, 19));
  } catch {
    return undefined; // a platform without priorities: nothing to give back
  }
  const restore = () => {
    for (const thread of threadsOfThisProcess()) {
      try {
        setPriority(thread, own);
      } catch {
        // EACCES: not allowed to raise it again (see above)
      }
    }
  };
  done.then(restore, restore);
  return getPriority();
}

/**
 * Runs the web build (its commands at once) with their output in web/build.log, and writes
 * one line of progress. Resolves true when it succeeded; when it failed, stderr gets the
 * whole log.
 */
async function quietWebBuild(root = repositoryRoot) {
  const startedAt = performance.now();
  const logFile = join(root, 'web/build.log');
  process.stdout.write(`Building the web app (its whole output: ${relative(root, logFile)})\n `);
  const log = createWriteStream(logFile);
  const progress = progressOf((text) => process.stdout.write(text));
  // The build's processes are started first: they keep the priority this process had.
  const runs = Promise.all(
    Object.entries(webBuild).map(([name, command]) =>
      run(name, command, join(root, 'web'), log, progress),
    ),
  );
  lowerPriorityWhile(runs);
  const failures = (await runs).filter(Boolean);
  await new Promise((resolve) => log.end(resolve));
  if (failures.length === 0) {
    const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
    process.stdout.write(`\n  built in ${seconds} s\n`);
    return true;
  }
  process.stdout.write('\n');
  process.stderr.write(
    `The web app's build failed (${failures.join('; ')}). Its whole output, from ${logFile}:\n\n${readFileSync(logFile, 'utf8')}`,
  );
  return false;
}

/** Builds the web app when it is stale; false when the build failed. */
export async function buildWebIfStale(root = repositoryRoot) {
  if (webBuildIsStale(root)) return quietWebBuild(root);
  console.log('web/build is up to date');
  return true;
}
