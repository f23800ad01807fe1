import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import ts from 'typescript';

/**
 * The import graph of the repository's own code, read from the source text (TypeScript's
 * preProcessFile: every `import`, `import type`, `export … from`, `import()` and
 * `require()`), for the architecture tests beside this file. Paths are the repository's,
 * with forward slashes.
 */

export const repositoryRoot = resolve(import.meta.dirname, '../..');

/** Generated or installed: not the repository's own code. */
const skippedDirectories = new Set([
  'node_modules',
  '.svelte-kit',
  'build',
  'cdk.out',
  'dist',
  'paraglide',
  'coverage',
]);

/** Every .ts and .svelte file under these folders (repository paths). */
export function sourceFiles(...folders: string[]): string[] {
  const found: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(join(repositoryRoot, folder), { withFileTypes: true })) {
      const path = `${folder}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.') && !skippedDirectories.has(entry.name)) walk(path);
      } else if (/\.(ts|svelte)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        found.push(path);
      }
    }
  };
  for (const folder of folders) walk(folder);
  return found.sort();
}

/** A module's scripts: a .svelte file's `<script>` blocks, a .ts file whole. */
function scriptText(path: string, text: string): string {
  if (!path.endsWith('.svelte')) return text;
  return [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)]
    .map((match) => match[1])
    .join('\n');
}

/** The specifiers a file imports, as written. */
export function importSpecifiers(path: string, text?: string): string[] {
  const source = scriptText(path, text ?? readFileSync(join(repositoryRoot, path), 'utf8'));
  return ts.preProcessFile(source, true, true).importedFiles.map((file) => file.fileName);
}

/** Aliases of the workspace to their folders (package.json `imports`, the shared package, SvelteKit's $lib). */
const aliases: [prefix: string, folder: string][] = [
  ['@qingling/shared/', 'shared/src/'],
  ['#functions/', 'functions/src/'],
  ['#local/', 'infra/local/src/'],
];
const webAliases: [prefix: string, folder: string][] = [
  ['#lib/', 'web/src/lib/'],
  ['$lib/', 'web/src/lib/'],
];

/**
 * The repository path a specifier names from the file `from`, or undefined for a package
 * (`@aws-sdk/client-sfn`, `node:fs`, `$app/state`). A path that names no file as written
 * is tried with .ts and /index.ts.
 */
export function resolveImport(from: string, specifier: string): string | undefined {
  let target: string | undefined;
  if (specifier.startsWith('.')) {
    target = posix.join(posix.dirname(from), specifier);
  } else {
    const all = from.startsWith('web/') ? [...aliases, ...webAliases] : aliases;
    const alias = all.find(([prefix]) => specifier.startsWith(prefix));
    if (alias) target = alias[1] + specifier.slice(alias[0].length);
    else if (specifier === '#lib' || specifier === '$lib') target = 'web/src/lib/index.ts';
  }
  if (target === undefined) return undefined;
  for (const candidate of [target, `${target}.ts`, `${target}/index.ts`]) {
    if (existsSync(join(repositoryRoot, candidate)) && /\.(ts|svelte|js|json)$/.test(candidate)) {
      return candidate;
    }
  }
  return target;
}

/** One import of one file: as written, and the repository file it names (none for a package). */
export interface Import {
  from: string;
  specifier: string;
  target: string | undefined;
}

/** The imports of each file. */
export function importsOf(files: readonly string[]): Import[] {
  return files.flatMap((from) =>
    importSpecifiers(from).map((specifier) => ({
      from,
      specifier,
      target: resolveImport(from, specifier),
    })),
  );
}
