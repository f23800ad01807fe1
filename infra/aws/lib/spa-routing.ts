import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** The page that boots the client-only office console (adapter-static's fallback). */
export const fallbackPage = '/200.html';

/**
 * The client-only routes, in either language: the office console (`/office`, `/office/…`,
 * `/en/office/…`). Only these get the fallback page; any other path without a file is a 404.
 */
export const clientOnlyPaths = /^\/(?:en\/)?office(?:\/|$)/;

/**
 * The answer to a path that is neither a file, a prerendered page nor a client-only route:
 * a small page in both languages, complete without scripts or other files.
 */
export const notFoundPage = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>找不到这个页面 · Page not found</title>
<style>body{max-width:40rem;margin:0 auto;padding:1.5rem 1rem;font:1.125rem/1.6 system-ui,sans-serif;color:#1b1f23}a{color:#0b57d0}</style>
</head>
<body>
<main>
<h1>找不到这个页面</h1>
<p><a href="/">返回首页</a></p>
<div lang="en">
<h2>Page not found</h2>
<p><a href="/en/">Back to home</a></p>
</div>
</main>
</body>
</html>
`;

/** CloudFront Functions may be at most 10 KB. */
const maxFunctionBytes = 10 * 1024;

/** Every prerendered page in the built site, as a URI path: '/index.html', '/en/report/index.html'. */
export function listPages(siteDir: string): string[] {
  return readdirSync(siteDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.html'))
    .map(
      (entry) => `/${relative(siteDir, join(entry.parentPath, entry.name)).split(sep).join('/')}`,
    )
    .sort();
}

/**
 * The viewer-request CloudFront Function on the site (S3) behavior. It serves URLs the way
 * the embedded cloud's static server does: a file as it is, a folder's index.html, a
 * prerendered page's .html, the fallback page 200.html for the client-only office routes,
 * and for any other extension-less path a 404 with `notFoundPage`, answered by the function
 * itself (S3 is not asked). This replaces distribution-wide 403/404 error responses, which
 * would also rewrite the API's own 403 and 404 answers under /api/* into an HTML page with
 * status 200, and would answer a missing script with HTML. A missing file (a name with a
 * dot) still goes to S3, which answers 403 (Origin Access Control without s3:ListBucket).
 */
export function spaRoutingFunctionCode(pages: readonly string[]): string {
  if (!pages.includes(fallbackPage)) {
    throw new Error(`The site has no ${fallbackPage} (adapter-static fallback); build the web app`);
  }
  const known = Object.fromEntries(pages.map((page) => [page, 1]));
  const code = `var pages = ${JSON.stringify(known)};
var notFound = {
  statusCode: 404,
  statusDescription: 'Not Found',
  headers: {
    'content-type': { value: 'text/html; charset=utf-8' },
    'cache-control': { value: 'no-cache' },
    'x-content-type-options': { value: 'nosniff' },
    'x-frame-options': { value: 'DENY' },
    'referrer-policy': { value: 'no-referrer' }
  },
  body: { encoding: 'text', data: ${JSON.stringify(notFoundPage)} }
};
function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.charAt(uri.length - 1) === '/') {
    if (pages[uri + 'index.html']) request.uri = uri + 'index.html';
    else if (${clientOnlyPaths}.test(uri)) request.uri = '${fallbackPage}';
    else return notFound;
    return request;
  }
  var name = uri.substring(uri.lastIndexOf('/') + 1);
  if (name.indexOf('.') !== -1) return request;
  if (pages[uri + '/index.html']) request.uri = uri + '/index.html';
  else if (pages[uri + '.html']) request.uri = uri + '.html';
  else if (${clientOnlyPaths}.test(uri)) request.uri = '${fallbackPage}';
  else return notFound;
  return request;
}
`;
  if (Buffer.byteLength(code) > maxFunctionBytes) {
    throw new Error(
      `The routing function for ${pages.length} pages exceeds CloudFront's 10 KB: ` +
        'move the page list to a CloudFront KeyValueStore',
    );
  }
  return code;
}
