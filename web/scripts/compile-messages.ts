// Compiles the Paraglide messages (messages/*.json) into src/lib/paraglide, once: a stamp
// beside the output holds the digest of the inputs and of the output, and a run that finds
// both unchanged does nothing. Runs that overlap take turns (a lock file), so the second
// finds the first one's output: `npm start` starts one beside `vite build`, whose own run
// (vite.config.ts) waits for it. `npm run check` runs it too; `vite dev` compiles with
// Paraglide's own plugin, which also watches the messages.
//
// The compiler is Paraglide's, fed without the inlang SDK's database (messages-compiler.ts):
// 0.5 s instead of 3.4 s, a quarter of the memory, and no timers left behind.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { i18nOptions } from '../i18n.config.ts';
import { compileMessages } from './messages-compiler.ts';

const web = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(web); // the options' paths are relative to the web package
const outdir = join(web, i18nOptions.outdir);
const stampFile = join(outdir, '.compiled.json');

/** What Paraglide's Vite plugin compiled for a production build (the same files). */
const options = {
  ...i18nOptions,
  strategy: [...i18nOptions.strategy],
  outputStructure: 'message-modules' as const,
};

function files(path: string): string[] {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return [];
  if (!stat.isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((entry) => files(join(path, entry)));
}

function digest(paths: string[], extra = ''): string {
  const hash = createHash('sha256').update(extra);
  for (const path of paths.flatMap(files)) {
    if (path === stampFile) continue;
    const content = readFileSync(path);
    hash.update(`\0${relative(web, path)}\0${content.length}\0`).update(content);
  }
  return hash.digest('hex');
}

const versions = ['@inlang/paraglide-js', '@inlang/plugin-message-format'].map((name) => {
  const entry = fileURLToPath(import.meta.resolve(name));
  const root = entry.slice(0, entry.lastIndexOf(name) + name.length);
  return `${name}@${JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version}`;
});
const inputs = digest(
  [join(web, 'messages'), join(web, 'project.inlang/settings.json'), join(web, 'i18n.config.ts')],
  JSON.stringify({
    options,
    versions,
    scripts: ['./compile-messages.ts', './messages-compiler.ts'].map((script) =>
      readFileSync(fileURLToPath(new URL(script, import.meta.url)), 'utf8'),
    ),
  }),
);
const lockFile = join(
  tmpdir(),
  `qingling-messages-${createHash('sha256').update(outdir).digest('hex').slice(0, 16)}.lock`,
);
for (;;) {
  try {
    writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
    break;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  let holder: number;
  try {
    holder = Number(readFileSync(lockFile, 'utf8'));
  } catch {
    continue; // released meanwhile
  }
  try {
    process.kill(holder, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') {
      rmSync(lockFile, { force: true }); // its holder is gone
      continue;
    }
  }
  await sleep(50);
}
process.on('exit', () => rmSync(lockFile, { force: true }));

const stamp = (() => {
  try {
    return JSON.parse(readFileSync(stampFile, 'utf8')) as { inputs?: string; output?: string };
  } catch {
    return {};
  }
})();

const startedAt = performance.now();
if (stamp.inputs === inputs && stamp.output === digest([outdir])) {
  console.log('i18n messages: up to date');
} else {
  try {
    await compileMessages(options);
  } catch (error) {
    // The message-format plugin runs from a data: URL, the whole module in every stack line.
    const stack = String((error as Error).stack ?? error).replace(
      /data:\S+?(:\d+:\d+\))/g,
      'data:…$1',
    );
    console.error(`i18n messages (messages/*.json) could not be compiled: ${stack}`);
    process.exit(1);
  }
  writeFileSync(stampFile, `${JSON.stringify({ inputs, output: digest([outdir]) })}\n`);
  console.log(
    `i18n messages: compiled in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`,
  );
}
process.exit(0);
