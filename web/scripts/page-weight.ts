// What a prerendered page costs a phone before any photo: its HTML and every JavaScript
// file it loads (the files the HTML names, and their static imports), gzipped.
// Usage: node web/scripts/page-weight.ts [page ...]   (after `npm run build -w web`)
import { readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const build = join(dirname(fileURLToPath(import.meta.url)), '../build');
const gzipped = (bytes: Buffer) => gzipSync(bytes, { level: 9 }).length;

export function pageWeight(page: string) {
  const html = readFileSync(join(build, page, 'index.html'));
  const scripts = new Set<string>();
  const visit = (path: string) => {
    if (scripts.has(path)) return;
    scripts.add(path);
    const code = readFileSync(join(build, path), 'utf8');
    // Static imports only: dynamic ones (other routes' nodes) load when they are visited.
    for (const match of code.matchAll(
      /(?:^|[;}\s])import\s*(?:[\w${},*\s]+from\s*)?["']([^"']+\.js)["']/g,
    )) {
      visit(posix.join(posix.dirname(path), match[1] as string));
    }
    for (const match of code.matchAll(/\bfrom\s*["'](\.{1,2}\/[^"']+\.js)["']/g)) {
      visit(posix.join(posix.dirname(path), match[1] as string));
    }
  };
  for (const match of html.toString('utf8').matchAll(/\/_app\/immutable\/[\w./-]+\.js/g)) {
    visit(match[0].slice(1));
  }
  const js = [...scripts].reduce((sum, path) => sum + gzipped(readFileSync(join(build, path))), 0);
  return {
    page,
    htmlGzip: gzipped(html),
    jsGzip: js,
    files: scripts.size,
    totalGzip: js + gzipped(html),
  };
}

const pages = process.argv.slice(2);
for (const page of pages.length > 0
  ? pages
  : ['report', 'en/report', 'follow-up', 'en/follow-up']) {
  const weight = pageWeight(page);
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  console.log(
    `/${page}/: JS ${kb(weight.jsGzip)} gzipped in ${weight.files} files, HTML ${kb(weight.htmlGzip)}, total ${kb(weight.totalGzip)}`,
  );
}
