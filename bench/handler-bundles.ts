import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';

/**
 * Each Lambda function's bundle, built as CDK builds it (infra/aws/lib/constructs/
 * node-function.ts: one minified ESM file, the AWS SDK from the runtime, native modules
 * beside the bundle), and the time a fresh Node process takes to import it: the module
 * initialisation a cold start pays before the first request. Used by `npm run bench`
 * (handlerBundles) and by tests/infra/handler-bundles.test.ts, which holds every bundle to
 * the size goal.
 */
const root = fileURLToPath(new URL('..', import.meta.url));

export const bundleGoalBytes = 150 * 1024;
export const initGoalMs = 100;

/** What CDK keeps out of every bundle: the runtime's AWS SDK and sharp (a native module). */
const external = ['@aws-sdk/*', 'sharp'];

/** CDK's banner (node-function.ts): ESM bundles may meet a CommonJS require(). */
const requireShim =
  "import { createRequire as __qinglingCreateRequire } from 'node:module';" +
  'const require = __qinglingCreateRequire(import.meta.url);';

/**
 * Every Lambda entry: each module under functions/src that exports `handler` (the route
 * table's handlers, the lifecycle's tasks, the event and deploy functions), as paths from
 * the repository root.
 */
export async function lambdaEntries(): Promise<string[]> {
  const files = await readdir(join(root, 'functions/src'), { recursive: true });
  const entries: string[] = [];
  for (const file of files.sort()) {
    if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
    const source = await readFile(join(root, 'functions/src', file), 'utf8');
    if (/^export (const|async function|function) handler\b/m.test(source)) {
      entries.push(`functions/src/${file}`);
    }
  }
  return entries;
}

export interface HandlerBundle {
  /** The entry, from the repository root. */
  entry: string;
  bytes: number;
  code: Uint8Array;
  /** What the bundle imports at run time: node: built-ins, the AWS SDK, sharp. */
  externals: string[];
  /** Bytes in the bundle per package (node_modules) or per folder of this repository. */
  bytesBySource: Record<string, number>;
}

function sourceOf(input: string): string {
  const module = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (module?.[1]) return module[1];
  return /^(?:shared|functions)\/src\/[^/]+/.exec(input)?.[0] ?? input;
}

/**
 * Entries bundled as CDK bundles each (infra/aws/lib/constructs/node-function.ts), in one
 * esbuild run: without code splitting each entry still gets a bundle of its own, the same
 * bytes as when built alone, and the shared modules are parsed once.
 */
export async function bundleAll(entries?: readonly string[]): Promise<HandlerBundle[]> {
  const chosen = entries ?? (await lambdaEntries());
  const result = await build({
    entryPoints: chosen.map((entry) => join(root, entry)),
    outdir: join(root, 'node_modules/.cache/qingling-handler-bundles'),
    absWorkingDir: root,
    bundle: true,
    minify: true,
    charset: 'utf8', // as CDK bundles them (node-function.ts)
    format: 'esm',
    platform: 'node',
    target: 'node24',
    mainFields: ['module', 'main'],
    banner: { js: requireShim },
    external,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const files = new Map(result.outputFiles.map((file) => [relative(root, file.path), file]));
  const bundles: HandlerBundle[] = [];
  for (const [path, output] of Object.entries(result.metafile.outputs)) {
    if (!output.entryPoint) continue;
    const code = files.get(path)?.contents ?? new Uint8Array();
    const bytesBySource: Record<string, number> = {};
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const source = sourceOf(input);
      bytesBySource[source] = (bytesBySource[source] ?? 0) + bytesInOutput;
    }
    const externals = [
      ...new Set(output.imports.filter((item) => item.external).map((item) => item.path)),
    ].sort();
    bundles.push({
      entry: output.entryPoint,
      bytes: code.byteLength,
      code,
      externals,
      bytesBySource,
    });
  }
  return bundles.sort((a, b) => a.entry.localeCompare(b.entry));
}

/** One entry bundled as CDK bundles it. */
export async function bundleHandler(entry: string): Promise<HandlerBundle> {
  const [bundle] = await bundleAll([entry]);
  if (!bundle) throw new Error(`${entry} was not bundled`);
  return bundle;
}

const run = promisify(execFile);

/**
 * One cold import in a fresh Node process: first what the bundle imports from outside it
 * (the AWS SDK, sharp: Lambda's runtime provides the SDK, whatever the bundle holds), then
 * the bundle, each timed inside the process. A bundle's own imports are evaluated before
 * its code, so the two add up to importing the bundle alone.
 */
async function coldImport(externals: string, bundle: string) {
  const script =
    `const t0=performance.now();await import(${JSON.stringify(externals)});` +
    `const t1=performance.now();await import(${JSON.stringify(bundle)});` +
    'const t2=performance.now();console.log(JSON.stringify([t1-t0,t2-t1]))';
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const [externalsMs = 0, ownMs = 0] = JSON.parse(stdout.trim().split('\n').at(-1) ?? '[]');
  return { externalsMs, ownMs };
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const value =
    sorted.length % 2
      ? (sorted[middle] ?? 0)
      : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  return Math.round(value * 10) / 10;
};

export interface InitTime {
  /** Median ms to evaluate the bundle's own code, once its externals are loaded. */
  ownMs: number;
  /** Median ms to load what it imports from outside it: the AWS SDK's packages, sharp. */
  externalsMs: number;
  /** Median ms of the whole import, externals and own code (a cold start's module init). */
  totalMs: number;
}

/**
 * Module initialisation of each bundle: written beside this repository's node_modules (so
 * that the AWS SDK and sharp resolve, as they do from Lambda's runtime), then imported cold
 * by a fresh Node process `repetitions` times, the bundles taking turns so that the
 * machine's load falls on all alike; medians. `baseline` is an empty ES module measured
 * the same way: the floor of the method.
 */
export async function measureInit(
  bundles: readonly HandlerBundle[],
  repetitions = 5,
): Promise<{ bundles: Record<string, InitTime>; baseline: InitTime }> {
  const cache = join(root, 'node_modules/.cache');
  await mkdir(cache, { recursive: true });
  const directory = await mkdtemp(join(cache, 'qingling-handler-bundles-'));
  try {
    const emptyModule = 'export const handler = async () => ({});\n';
    const empty = join(directory, 'empty.mjs');
    await writeFile(empty, emptyModule);
    const files: { entry: string; bundle: string; externals: string }[] = [
      { entry: '', bundle: empty, externals: join(directory, 'no-externals.mjs') },
    ];
    await writeFile(join(directory, 'no-externals.mjs'), '');
    for (const [index, bundle] of bundles.entries()) {
      const file = join(directory, `bundle-${index}.mjs`);
      const externals = join(directory, `externals-${index}.mjs`);
      await writeFile(file, bundle.code);
      await writeFile(externals, bundle.externals.map((path) => `import '${path}';\n`).join(''));
      files.push({ entry: bundle.entry, bundle: file, externals });
    }
    const samples = new Map<string, { externalsMs: number; ownMs: number }[]>();
    for (let round = 0; round < repetitions; round += 1) {
      for (const { entry, bundle, externals } of files) {
        samples.set(entry, [...(samples.get(entry) ?? []), await coldImport(externals, bundle)]);
      }
    }
    const summary = (entry: string): InitTime => {
      const runs = samples.get(entry) ?? [];
      return {
        ownMs: median(runs.map((sample) => sample.ownMs)),
        externalsMs: median(runs.map((sample) => sample.externalsMs)),
        totalMs: median(runs.map((sample) => sample.externalsMs + sample.ownMs)),
      };
    };
    return {
      bundles: Object.fromEntries(bundles.map((bundle) => [bundle.entry, summary(bundle.entry)])),
      baseline: summary(''),
    };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** The entry's name as the bench lists it: its path under functions/src. */
export const bundleName = (entry: string) => relative('functions/src', entry);
