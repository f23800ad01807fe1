import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { clientOnlyPaths, fallbackPage, notFoundPage } from '../../aws/lib/spa-routing.ts';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * What CloudFront's response headers policy adds to every page on AWS (static-site.ts in
 * infra/aws): no sniffing, no framing (clickjacking), no referrer (follow-up URLs never leak).
 */
const siteSecurityHeaders = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
} as const;

/**
 * Serves the built web app the way S3 + CloudFront do (infra/aws/lib/spa-routing.ts, whose
 * rules it shares): a file, a folder's index.html, a prerendered page's .html, the fallback
 * page 200.html for the client-only office routes, and a 404 page for anything else.
 */
export async function serveStatic(root: string, pathname: string, response: ServerResponse) {
  const base = resolve(root);
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    decoded = '/';
  }
  const requested = resolve(join(base, decoded));
  const inside = requested === base || requested.startsWith(base + sep);
  // A folder asked for without its slash: redirect, so the page's relative links resolve.
  if (inside && !decoded.endsWith('/') && (await isFile(join(requested, 'index.html')))) {
    response.writeHead(308, { location: `${pathname}/` });
    response.end();
    return;
  }
  const candidates = inside ? [requested, join(requested, 'index.html'), `${requested}.html`] : [];
  if (clientOnlyPaths.test(decoded)) candidates.push(join(base, fallbackPage));
  for (const candidate of candidates) {
    if (!(await isFile(candidate))) continue;
    const immutable = candidate.includes(`${sep}_app${sep}immutable${sep}`);
    response.writeHead(200, {
      'content-type': contentTypes[extname(candidate)] ?? 'application/octet-stream',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...siteSecurityHeaders,
    });
    createReadStream(candidate).pipe(response);
    return;
  }
  const built = await isFile(join(base, fallbackPage));
  response.writeHead(404, {
    'content-type': built ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8',
    'cache-control': 'no-cache',
    ...siteSecurityHeaders,
  });
  response.end(
    built ? notFoundPage : 'Not found. 找不到页面。(Has the web app been built? npm run build:web)',
  );
}
