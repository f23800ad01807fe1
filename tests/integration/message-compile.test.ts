// web/scripts/messages-compiler.ts feeds Paraglide's compiler without the inlang SDK's
// database. Its output must be Paraglide's compile() output, file for file: for the app's own
// messages, and for a project with what the app's messages do not have yet (variants chosen by
// plural and by input, a message missing in one language, a language without its file, nested
// keys, keys that differ in case only). What the SDK would merge rather than import as it is
// (a condition given twice) is refused.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { i18nOptions } from '../../web/i18n.config.ts';
import { compileMessages } from '../../web/scripts/messages-compiler.ts';

const web = fileURLToPath(new URL('../../web/', import.meta.url));
const plugin = fileURLToPath(import.meta.resolve('@inlang/plugin-message-format'));
const scratch = await mkdtemp(join(tmpdir(), 'qingling-messages-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** Paraglide's own compile(), in a process of its own (the SDK leaves 30 s timers behind). */
function paraglideCompile(options: object, cwd: string) {
  const paraglide = import.meta.resolve('@inlang/paraglide-js');
  execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const { compile } = await import(${JSON.stringify(paraglide)});
       await compile(${JSON.stringify(options)});
       process.exit(0);`,
    ],
    { cwd, stdio: 'pipe' },
  );
}

async function filesIn(directory: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(directory, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[relative(directory, path)] = await readFile(path, 'utf8');
  }
  return files;
}

/** Both compilers' output for the project at `root` (cwd of compile()), same options. */
async function bothOutputs(root: string, options: Record<string, unknown>, name: string) {
  const ours = join(scratch, `${name}-ours`);
  const theirs = join(scratch, `${name}-paraglide`);
  const project = join(root, 'project.inlang');
  await compileMessages({ ...options, project, outdir: ours });
  paraglideCompile({ ...options, project, outdir: theirs }, root);
  return { ours: await filesIn(ours), theirs: await filesIn(theirs) };
}

describe('the messages compiler', () => {
  it("writes what Paraglide's compile() writes for the app's messages", async () => {
    const { ours, theirs } = await bothOutputs(
      web,
      { ...i18nOptions, outputStructure: 'message-modules' },
      'app',
    );
    expect(Object.keys(ours).length).toBeGreaterThan(1000);
    expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort());
    for (const [file, content] of Object.entries(theirs)) expect(ours[file], file).toBe(content);
  });

  it('writes what compile() writes for variants, gaps and nested keys', async () => {
    const root = join(scratch, 'fixture');
    await mkdir(join(root, 'project.inlang'), { recursive: true });
    await mkdir(join(root, 'messages'));
    await writeFile(
      join(root, 'project.inlang/settings.json'),
      JSON.stringify({
        baseLocale: 'zh-CN',
        // French has no file: its texts fall back.
        locales: ['zh-CN', 'en', 'fr'],
        // Relative to the folder that holds project.inlang, as the SDK resolves it.
        modules: [relative(root, plugin)],
        'plugin.inlang.messageFormat': { pathPattern: './messages/{locale}.json' },
      }),
    );
    const plural = (one: string, other: string) => [
      {
        declarations: ['input count', 'local countPlural = count: plural'],
        selectors: ['countPlural'],
        match: { 'countPlural=one': one, 'countPlural=other': other },
      },
    ];
    const byRole = (officer: string, other: string) => [
      {
        declarations: ['input role'],
        selectors: ['role'],
        match: { 'role=officer': officer, 'role=*': other },
      },
    ];
    await writeFile(
      join(root, 'messages/en.json'),
      JSON.stringify({
        hazards_open: plural('{count} open hazard', '{count} open hazards'),
        greeting: byRole('Officer {name}', 'Hello {name}'),
        only_english: 'Only in English',
        zeta: 'z',
        Zeta: 'Z',
        nested: { deeper: { label: 'Nested label' } },
      }),
    );
    await writeFile(
      join(root, 'messages/zh-CN.json'),
      JSON.stringify({
        hazards_open: plural('{count} 项未整改隐患', '{count} 项未整改隐患'),
        greeting: byRole('{name} 警官', '您好，{name}'),
        zeta: '泽',
        Zeta: '泽',
        nested: { deeper: { label: '嵌套标签' } },
      }),
    );
    for (const outputStructure of ['message-modules', 'locale-modules']) {
      const { ours, theirs } = await bothOutputs(
        root,
        { strategy: ['url', 'baseLocale'], outputStructure, emitReadme: false },
        outputStructure,
      );
      // Paraglide's compile() found the plugin (it compiles no message, with a warning, when not).
      expect(Object.values(theirs).join('\n')).toContain('open hazards');
      expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort());
      for (const [file, content] of Object.entries(theirs)) {
        expect(ours[file], `${outputStructure}: ${file}`).toBe(content);
      }
    }
  });

  it('refuses a condition given twice, which the SDK would merge, and settings of the old kind', async () => {
    const root = join(scratch, 'twice');
    await mkdir(join(root, 'project.inlang'), { recursive: true });
    await mkdir(join(root, 'messages'));
    const settings = {
      baseLocale: 'en',
      locales: ['en'],
      modules: [relative(root, plugin)],
      'plugin.inlang.messageFormat': { pathPattern: './messages/{locale}.json' },
    };
    await writeFile(join(root, 'project.inlang/settings.json'), JSON.stringify(settings));
    await writeFile(
      join(root, 'messages/en.json'),
      JSON.stringify({
        items: [
          {
            declarations: ['input count', 'local countPlural = count: plural'],
            selectors: ['countPlural'],
            match: { 'countPlural=one': 'A', 'countPlural = one': 'B', 'countPlural=*': 'C' },
          },
        ],
      }),
    );
    const compiling = () =>
      compileMessages({ project: join(root, 'project.inlang'), outdir: join(root, 'out') });
    await expect(compiling()).rejects.toThrow(/condition of a key in one language twice/);
    const { baseLocale: _, locales: __, ...older } = settings;
    await writeFile(
      join(root, 'project.inlang/settings.json'),
      JSON.stringify({ ...older, sourceLanguageTag: 'en', languageTags: ['en'] }),
    );
    await expect(compiling()).rejects.toThrow(/needs "baseLocale" and "locales"/);
    await expect(readdir(join(root, 'out'))).rejects.toThrow(/ENOENT/);
  });

  it('refuses a plugin path that names no file, where compile() would compile no message', async () => {
    const root = join(scratch, 'plugin-elsewhere');
    await mkdir(join(root, 'project.inlang'), { recursive: true });
    await writeFile(
      join(root, 'project.inlang/settings.json'),
      JSON.stringify({
        baseLocale: 'en',
        locales: ['en'],
        // As the app's settings name it, from a folder with no node_modules of its own.
        modules: ['./node_modules/@inlang/plugin-message-format/dist/index.js'],
        'plugin.inlang.messageFormat': { pathPattern: './messages/{locale}.json' },
      }),
    );
    await expect(
      compileMessages({ project: join(root, 'project.inlang'), outdir: join(root, 'out') }),
    ).rejects.toThrow(/is not at/);
  });

  it('refuses a project it cannot read the way compile() would', async () => {
    const root = join(scratch, 'other-plugin');
    await mkdir(join(root, 'project.inlang'), { recursive: true });
    await writeFile(
      join(root, 'project.inlang/settings.json'),
      JSON.stringify({ baseLocale: 'en', locales: ['en'], modules: ['./some-other-plugin.js'] }),
    );
    await expect(
      compileMessages({
        project: join(root, 'project.inlang'),
        outdir: join(root, 'out'),
      }),
    ).rejects.toThrow(/message format only/);
    await expect(readdir(join(root, 'out'))).rejects.toThrow(/ENOENT/);
  });
});
