import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** The page that boots the client-only office console (adapter-static's fallback). */
export const fallbackPage = '/200.html';

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
 * prerendered page's .html, and any other extension-less path the fallback page 200.html
 * (the client-only office routes). This replaces distribution-wide 403/404 error
 * responses, which would also rewrite the API's own 403 and 404 answers under /api/* into
 * an HTML page with status 200, and would answer a missing script with HTML.
 */
export function spaRoutingFunctionCode(pages: readonly string[]): string {
  if (!pages.includes(fallbackPage)) {
    throw new Error(`The site has no ${fallbackPage} (adapter-static fallback); build the web app`);
  }
  const known = Object.fromEntries(pages.map((page) => [page, 1]));
  const code = `var pages = ${JSON.stringify(known)};
function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.charAt(uri.length - 1) === '/') {
    request.uri = pages[uri + 'index.html'] ? uri + 'index.html' : '${fallbackPage}';
    return request;
  }
  var name = uri.substring(uri.lastIndexOf('/') + 1);
  if (name.indexOf('.') !== -1) return request;
  if (pages[uri + '/index.html']) request.uri = uri + '/index.html';
  else if (pages[uri + '.html']) request.uri = uri + '.html';
  else request.uri = '${fallbackPage}';
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
