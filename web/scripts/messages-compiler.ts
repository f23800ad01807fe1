// Paraglide's compile(), without the inlang SDK's project database in between.
//
// compile() loads the project into lix (SQLite in wasm) and reads the bundles back out: 2.4 of
// its 3.4 s on the development machine, and 330 MB of memory, all before Paraglide's own
// compiler (0.3 s) starts. This reads messages/*.json with the same message-format plugin,
// hands Paraglide's compileProject() the rows its one query would have returned, in the
// database's order, and writes the output as compile() does. The output is the same, file for
// file: tests/integration/message-compile.test.ts compares it with compile()'s.
/// <reference path="./plugin-message-format.d.ts" />
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  type CompilerOptions,
  compileProject,
  defaultCompilerOptions,
  writeOutput,
} from '@inlang/paraglide-js';
import messageFormat, { type Imported, type Settings } from '@inlang/plugin-message-format';

type InlangProject = Parameters<typeof compileProject>[0]['project'];

/** The row shape of the SDK's selectBundleNested query (bundle ⟕ message ⟕ variant). */
interface BundleRow {
  bundleId: string;
  bundleDeclarations: unknown;
  messageId: string | null;
  messageLocale: string | null;
  messageSelectors: unknown;
  variantId: string | null;
  variantMatches: unknown;
  variantPattern: unknown;
}

/** SQLite's order for text (bytes of UTF-8), which the query's ORDER BY bundle.id uses. */
const byUtf8 = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/**
 * The rows, ordered as the database orders them: bundles by id, and a bundle's messages and
 * a message's variants as imported (the SDK gives them time-ordered ids as it inserts them).
 * Columns left out by the plugin get the schema's defaults (empty lists).
 */
function rowsOf(imported: Imported): BundleRow[] {
  const messageKey = (bundleId: string, locale: string) => JSON.stringify([bundleId, locale]);
  const variantsOf = new Map<string, Imported['variants']>();
  for (const variant of imported.variants) {
    const key = messageKey(String(variant.messageBundleId), String(variant.messageLocale));
    variantsOf.set(key, [...(variantsOf.get(key) ?? []), variant]);
  }
  const messagesOf = new Map<string, Imported['messages']>();
  for (const message of imported.messages) {
    messagesOf.set(message.bundleId, [...(messagesOf.get(message.bundleId) ?? []), message]);
  }
  const rows: BundleRow[] = [];
  let nextId = 0;
  const id = () => String(nextId++).padStart(8, '0');
  for (const bundle of [...imported.bundles].sort((a, b) => byUtf8(a.id, b.id))) {
    const bundleColumns = { bundleId: bundle.id, bundleDeclarations: bundle.declarations ?? [] };
    const messages = messagesOf.get(bundle.id) ?? [];
    if (messages.length === 0) {
      rows.push({ ...bundleColumns, ...noMessage });
      continue;
    }
    for (const message of messages) {
      const messageColumns = {
        messageId: id(),
        messageLocale: message.locale,
        messageSelectors: message.selectors ?? [],
      };
      const variants = variantsOf.get(messageKey(bundle.id, message.locale)) ?? [];
      if (variants.length === 0) rows.push({ ...bundleColumns, ...messageColumns, ...noVariant });
      for (const variant of variants) {
        rows.push({
          ...bundleColumns,
          ...messageColumns,
          variantId: id(),
          variantMatches: variant.matches ?? [],
          variantPattern: variant.pattern ?? [],
        });
      }
    }
  }
  return rows;
}
const noVariant = { variantId: null, variantMatches: null, variantPattern: null };
const noMessage = { messageId: null, messageLocale: null, messageSelectors: null, ...noVariant };

/**
 * A stand-in for the project's Kysely database that answers the one query compileProject
 * makes (select every bundle with its messages and variants) with the rows. Any other use
 * fails loudly rather than compile something else.
 */
function databaseAnswering(rows: BundleRow[]): unknown {
  const chain = ['selectFrom', 'leftJoin', 'select', 'orderBy'];
  const query: object = new Proxy(
    {},
    {
      get(_, name) {
        if (name === 'execute') return async () => rows;
        if (typeof name === 'string' && chain.includes(name)) return () => query;
        throw new Error(
          `messages-compiler.ts answers only Paraglide's query for every bundle, not .${String(name)}: compile with Paraglide's compile() instead`,
        );
      },
    },
  );
  return query;
}

/**
 * The SDK imports a fresh project as the plugin gives it only when no bundle, message (a key
 * in one language) or variant (a key's condition) comes twice; otherwise it merges them one
 * by one, keeping the last. Twice is a mistake in the messages (two files for a language, or
 * `count=one` beside `count = one`): said here, rather than compiled differently.
 */
function refuseWhatTheSdkWouldMerge(imported: Imported): void {
  const twice = (kind: string, keys: string[]) => {
    const seen = new Set<string>();
    for (const key of keys) {
      if (seen.has(key)) {
        throw new Error(`messages-compiler.ts: the messages have a ${kind} twice: ${key}`);
      }
      seen.add(key);
    }
  };
  twice(
    'key',
    imported.bundles.map((bundle) => bundle.id),
  );
  twice(
    'key in one language',
    imported.messages.map((message) => JSON.stringify([message.bundleId, message.locale])),
  );
  twice(
    'condition of a key in one language',
    imported.variants.map((variant) =>
      JSON.stringify([variant.messageBundleId, variant.messageLocale, variant.matches]),
    ),
  );
}

/** compile() of @inlang/paraglide-js for a message-format project, faster. */
export async function compileMessages(
  options: CompilerOptions & { project: string; outdir: string },
): Promise<void> {
  const withDefaults = { ...defaultCompilerOptions, ...options };
  const projectDirectory = resolve(options.project);
  const settings = JSON.parse(
    readFileSync(resolve(projectDirectory, 'settings.json'), 'utf8'),
  ) as Settings;
  const plugins = settings.modules ?? [];
  if (plugins.length !== 1 || !/[\\/]plugin-message-format[\\/]/.test(plugins[0] ?? '')) {
    throw new Error(
      `messages-compiler.ts reads the inlang message format only; ${projectDirectory}/settings.json lists the modules ${JSON.stringify(plugins)}`,
    );
  }
  // Paths in the settings are relative to the folder that holds project.inlang. The plugin
  // is this package's own import; its path is checked all the same, as compile() would not
  // find a plugin that is not there (and then compile no message, with a warning).
  const pluginPath = resolve(dirname(projectDirectory), plugins[0] as string);
  if (!existsSync(pluginPath)) {
    throw new Error(
      `messages-compiler.ts: the plugin ${plugins[0]} in ${projectDirectory}/settings.json is not at ${pluginPath}`,
    );
  }
  if (!Array.isArray(settings.locales) || typeof settings.baseLocale !== 'string') {
    throw new Error(
      `messages-compiler.ts: ${projectDirectory}/settings.json needs "baseLocale" and "locales" (the inlang SDK's older "sourceLanguageTag" and "languageTags" are not read here)`,
    );
  }
  // A language without its file is left out, as the SDK leaves it (its texts fall back).
  const files = (
    await Promise.all(
      (
        await messageFormat.toBeImportedFiles({ settings })
      ).map(async ({ path, locale }) => {
        const content = await fs
          .readFile(resolve(dirname(projectDirectory), path))
          .catch((error: NodeJS.ErrnoException) => {
            if (error.code === 'ENOENT') return undefined;
            throw error;
          });
        return content ? [{ locale, content }] : [];
      }),
    )
  ).flat();
  const imported = await messageFormat.importFiles({ files, settings });
  refuseWhatTheSdkWouldMerge(imported);
  const project = {
    settings: { get: async () => structuredClone(settings) },
    db: databaseAnswering(rowsOf(imported)),
  } as unknown as InlangProject;
  const output = await compileProject({
    compilerOptions: withDefaults,
    project,
    projectPath: options.project,
  });
  await writeOutput({
    directory: resolve(options.outdir),
    output,
    cleanDirectory: withDefaults.cleanOutdir,
    fs: fs as never,
  });
}
