/**
 * The first `npm start` of a fresh checkout, measured. A copy of the working tree is made:
 * the files git tracks or would add (none of what a build or a start leaves: web/build, the
 * compiled messages, web/build.log, .data), with node_modules linking to this checkout's
 * installed packages, as `npm ci` would have installed them. `npm start` runs in the copy on
 * a free port, and the copy is removed afterwards.
 *
 * Used by the bench (`firstStart`) and tests/integration/first-start.test.ts;
 * `node scripts/first-start.ts` prints one measurement.
 */
import { execFileSync, spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** A copy of the working tree as a fresh clone after `npm ci` has it. */
export async function freshCopy(root = repositoryRoot): Promise<string> {
  const copy = await mkdtemp(join(tmpdir(), 'qingling-first-start-'));
  const files = execFileSync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    {
      cwd: root,
      encoding: 'utf8',
    },
  )
    .split('\0')
    .filter(Boolean);
  for (const file of new Set(files)) {
    await mkdir(dirname(join(copy, file)), { recursive: true });
    await copyFile(join(root, file), join(copy, file)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error; // deleted in the working tree, not yet in git
    });
  }
  // The packages are this checkout's; the workspaces' links point into the copy.
  const modules = join(copy, 'node_modules');
  await mkdir(join(modules, '@qingling'), { recursive: true });
  for (const entry of await readdir(join(root, 'node_modules'))) {
    if (entry === '@qingling' || (entry.startsWith('.') && entry !== '.bin')) continue;
    await symlink(join(root, 'node_modules', entry), join(modules, entry));
  }
  for (const workspace of ['shared', 'web']) {
    await symlink(join(copy, workspace), join(modules, '@qingling', workspace));
  }
  return copy;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

export interface FirstStart {
  /** Seconds from `npm start` until /api/health answered 200; undefined if it never did. */
  healthSeconds: number | undefined;
  /** Lines printed (stdout and stderr) by then, and after a failure: all of them. */
  lines: number;
  output: string;
  /** Set when `npm start` ended by itself (a failed build, a start that failed). */
  exitCode: number | null | undefined;
  /** web/build.log as the start left it, if it wrote one. */
  buildLog: string | undefined;
}

/**
 * Runs `npm start` in a fresh copy until /api/health answers and it has printed its URLs
 * (or until it exits), then stops it with Ctrl-C. `prepare` may change the copy first.
 */
export async function firstStart({
  root = repositoryRoot,
  prepare,
  timeoutMs = 120_000,
}: {
  root?: string;
  prepare?: (copy: string) => Promise<void>;
  timeoutMs?: number;
} = {}): Promise<FirstStart> {
  const copy = await freshCopy(root);
  try {
    await prepare?.(copy);
    const port = await freePort();
    // What a newcomer's shell has: no settings of the npm script, test runner or stack
    // this runs under (npm_config_loglevel would hide npm's lines, NODE_ENV=test changes the
    // build).
    const env = Object.fromEntries(
      Object.entries(process.env).filter(
        ([name]) => !/^(npm_|VITEST|QINGLING_|POWERTOOLS_)|^(NODE_ENV|INIT_CWD)$/.test(name),
      ),
    );
    env.PORT = String(port);
    env.PATH = `${join(copy, 'node_modules/.bin')}:${process.env.PATH ?? ''}`;
    const startedAt = performance.now();
    const child = spawn('npm', ['start'], {
      cwd: copy,
      env,
      detached: true, // its own process group, stopped as Ctrl-C would
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    let exitCode: number | null | undefined;
    const exited = new Promise<void>((resolve) =>
      child.on('exit', (code) => {
        exitCode = code;
        resolve();
      }),
    );
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    let healthSeconds: number | undefined;
    while (exitCode === undefined && performance.now() - startedAt < timeoutMs) {
      const answer = await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => undefined);
      if (answer?.ok) {
        healthSeconds = (performance.now() - startedAt) / 1000;
        break;
      }
      await sleep(100);
    }
    if (exitCode === undefined) {
      // Health answers just before the URLs are printed (and warnings after them).
      const printed = performance.now();
      while (!/^READY /m.test(output) && performance.now() - printed < 5000) await sleep(50);
      await sleep(500);
    }
    const counted = output;
    if (exitCode === undefined) {
      process.kill(-(child.pid ?? 0), 'SIGINT');
      const stopped = await Promise.race([exited.then(() => true), sleep(15_000)]);
      if (!stopped) process.kill(-(child.pid ?? 0), 'SIGKILL');
      await exited;
    }
    return {
      healthSeconds,
      lines: counted.split('\n').length - (counted.endsWith('\n') ? 1 : 0),
      output: counted,
      exitCode,
      buildLog: await readFile(join(copy, 'web/build.log'), 'utf8').catch(() => undefined),
    };
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const result = await firstStart();
  console.log(result.output);
  console.log(
    `── health answered after ${result.healthSeconds?.toFixed(1) ?? '(never)'} s; ${result.lines} lines of output by then`,
  );
}
