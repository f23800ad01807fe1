import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FileOutbox } from '@qingling/shared/adapters/local/file-outbox.ts';
import type { FileUserDirectory } from '@qingling/shared/adapters/local/file-user-directory.ts';
import {
  FileSystemBlobStore,
  UploadRefused,
} from '@qingling/shared/adapters/local/fs-blob-store.ts';
import { apiError } from '@qingling/shared/api/errors.ts';
import { proofChallengeHeader, proofHeader } from '@qingling/shared/api/proof-of-work.ts';
import { routes } from '@qingling/shared/api/routes.ts';
import type { Jurisdiction } from '@qingling/shared/api/schemas.ts';
import type { Clock } from '@qingling/shared/ports/clock.ts';
import { photoRefusalReasons } from '@qingling/shared/tips/tip.ts';
import { processPhoto } from '#functions/events/process-photo.ts';
import { type LambdaHandler, LocalApiGateway } from './api-gateway.ts';
import type { LocalTokenIssuer } from './auth/token-issuer.ts';
import { BodyTooLarge, type RequestHandler, readBody, sendJson } from './local-server.ts';
import { renderOutboxPage } from './outbox-page.ts';
import { repositoryRoot } from './paths.ts';
import type { AnonymousRateLimiter, ProofGate } from './rate-limiter.ts';
import { serveStatic } from './static-site.ts';

const handlersDirectory = join(repositoryRoot, 'functions/src/handlers');
/** What the local API accepts in one request body (API Gateway's own limit is 10 MB). */
const apiBodyLimitBytes = 1024 * 1024;

/** API Gateway's part: the route table's routes, each to its Lambda handler, in process. */
export function localApiGateway(issuer: LocalTokenIssuer): LocalApiGateway {
  // Each handler imported once, as Lambda loads a function's module once per instance: an
  // import() per request resolved the path again each time, file checks included (issue 13).
  const handlers = new Map<string, Promise<LambdaHandler>>();
  return new LocalApiGateway({
    routes,
    verifyToken: (token) => issuer.verify(token),
    loadHandler: (name) => {
      let handler = handlers.get(name);
      if (!handler) {
        handler = import(join(handlersDirectory, `${name}.ts`)).then(
          (module: { handler: LambdaHandler }) => module.handler,
        );
        // A failed import is not kept: the next request tries again.
        handler.catch(() => handlers.delete(name));
        handlers.set(name, handler);
      }
      return handler;
    },
  });
}

/** The public routes' budget per address, and past it the puzzles that let a request in. */
export interface PublicGate {
  limiter: AnonymousRateLimiter;
  proofs: ProofGate;
}

/** Everything the local routes answer from, passed in by the composition. */
export interface LocalRoutes {
  /** The server's own address (relative request URLs are resolved against it). */
  url: string;
  webRoot: string;
  issuer: LocalTokenIssuer;
  /** Who may sign in, with which roles: the demo users and what administrators changed. */
  users: FileUserDirectory;
  /** The jurisdictions' names, for the sign-in page's list. */
  jurisdictions: () => Promise<Jurisdiction[]>;
  blobStore: FileSystemBlobStore;
  outbox: FileOutbox;
  gateway: LocalApiGateway;
  publicGate: PublicGate;
  /**
   * The cloud's clock (fast or injected): GET /_local/clock tells its time, and for a
   * ScaledClock the time it began to run from in this process.
   */
  clock: Clock & {
    startedFrom?: Date | null;
    /** A fast clock's holds while due work waits (ScaledClock.holdFor). */
    holding?: { held: boolean; heldRealMs: number; holds: number };
  };
}

const tooLargeError = {
  error: {
    code: 'payload_too_large',
    message: { zh: '内容超过大小限制。', en: 'The content is larger than allowed.' },
  },
};

/**
 * The HTTP server's requests: /api/* through the local API Gateway, and what CloudFront,
 * Cognito and the mail and SMS providers do on AWS: the web app's files and config, the
 * demo sign-in, the signed upload form's target and the outbox pages.
 */
export function localRequestHandler(local: LocalRoutes): RequestHandler {
  return async (request, response) => {
    let requestUrl: URL;
    try {
      requestUrl = new URL(request.url ?? '/', local.url);
    } catch {
      // "//" and the like: no URL can be made of it (an exception here would be unhandled).
      const { status, body } = apiError('malformed_path');
      sendJson(response, status, body);
      return;
    }
    const path = requestUrl.pathname;
    const method = request.method ?? 'GET';
    try {
      if (await refusedOverBudget(request, response, path, local.publicGate)) return;
      await route(local, request, response, requestUrl);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        response.setHeader('connection', 'close');
        sendJson(response, 413, tooLargeError);
        return;
      }
      console.error('embedded cloud: request failed', method, path, error);
      if (!response.headersSent) sendJson(response, 500, { message: 'Internal Server Error' });
      else response.destroy();
    }
  };
}

/**
 * The public tip routes and the upload target count against the address's budget; past
 * it, a request without a good solved puzzle is refused with 429 and a fresh puzzle.
 */
async function refusedOverBudget(
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  gate: PublicGate,
): Promise<boolean> {
  if (!(path.startsWith('/api/tips') || path === '/_local/uploads')) return false;
  const verdict = gate.limiter.take(request.socket.remoteAddress ?? '');
  if (verdict.allowed) return false;
  const proof = request.headers[proofHeader];
  if (await gate.proofs.admit(typeof proof === 'string' ? proof : undefined)) return false;
  sendJson(
    response,
    429,
    {
      error: {
        code: 'too_many_requests',
        message: {
          zh: '请求过于频繁，请稍后再试。',
          en: 'Too many requests; please try again later.',
        },
      },
    },
    {
      'retry-after': String(verdict.retryAfterSeconds),
      [proofChallengeHeader]: await gate.proofs.challenge(),
    },
  );
  return true;
}

async function route(
  local: LocalRoutes,
  request: IncomingMessage,
  response: ServerResponse,
  requestUrl: URL,
): Promise<void> {
  const path = requestUrl.pathname;
  const method = request.method ?? 'GET';
  if (path.startsWith('/api/')) {
    await serveApi(local.gateway, request, response, requestUrl);
  } else if (path === '/config.json') {
    sendJson(response, 200, { auth: { mode: 'local', issuer: local.issuer.issuer } });
  } else if (path === '/auth/.well-known/openid-configuration') {
    sendJson(response, 200, local.issuer.discovery());
  } else if (path === '/auth/jwks.json') {
    sendJson(response, 200, local.issuer.jwks());
  } else if (path === '/auth/demo-users') {
    sendJson(response, 200, { users: await signInList(local) });
  } else if (path === '/auth/token' && method === 'POST') {
    await issueDemoToken(local, request, response);
  } else if (path === '/_local/uploads' && method === 'POST') {
    await handleUpload(request, response, local.blobStore);
  } else if (path === '/_local/downloads' && (method === 'GET' || method === 'HEAD')) {
    await handleDownload(requestUrl, response, local.blobStore, method === 'HEAD');
  } else if (path === '/_local/blobs' && method === 'GET') {
    // S3's presigned GET: the signed URL names one key until it expires.
    const blob = await local.blobStore.readSigned(requestUrl.searchParams);
    if (!blob) sendJson(response, 403, { message: 'Forbidden' });
    else {
      response.writeHead(200, {
        'content-type': blob.contentType,
        'cache-control': 'private, max-age=300',
        'x-content-type-options': 'nosniff',
      });
      response.end(Buffer.from(blob.bytes));
    }
  } else if (path === '/_local/clock' && method === 'GET') {
    // The embedded cloud's time, for a driver on a fast clock (bench/time.ts) to read many
    // times a second: no store is read (GET /api/health reads two items each time).
    const startedFrom = local.clock.startedFrom?.toISOString();
    sendJson(response, 200, {
      now: local.clock.now().toISOString(),
      ...(startedFrom ? { startedFrom } : {}),
      ...(local.clock.holding ? { holding: local.clock.holding } : {}),
    });
  } else if (path === '/_local/outbox.json') {
    sendJson(response, 200, { entries: await local.outbox.list() });
  } else if (path === '/_local/outbox') {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(renderOutboxPage(await local.outbox.list()));
  } else if (method === 'GET' || method === 'HEAD') {
    await serveStatic(local.webRoot, path, response);
  } else {
    sendJson(response, 405, { message: 'Method Not Allowed' });
  }
}

async function serveApi(
  gateway: LocalApiGateway,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
): Promise<void> {
  const body = await readBody(request, apiBodyLimitBytes);
  const result = await gateway.handle({
    method: request.method ?? 'GET',
    url,
    headers: request.headers,
    body,
  });
  response.writeHead(result.statusCode ?? 200, {
    'content-type': 'application/json',
    ...(result.headers as Record<string, string> | undefined),
  });
  response.end(
    result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? ''),
  );
}

/** The users the sign-in page offers (the enabled ones), each with their jurisdiction's name. */
async function signInList(local: LocalRoutes) {
  const names = new Map((await local.jurisdictions()).map((item) => [item.code, item]));
  return (await local.users.all())
    .filter((user) => user.enabled)
    .map(({ username, name, roles, jurisdictions }) => {
      const jurisdiction = names.get(jurisdictions[0] ?? '');
      return {
        username,
        name,
        roles,
        jurisdictions,
        jurisdictionName: { zh: jurisdiction?.zh ?? '', en: jurisdiction?.en ?? '' },
      };
    });
}

/**
 * Cognito's part on one machine: an ID token for a user of the local directory, by name,
 * for eight hours, with the roles the directory holds now (an administrator's edit counts
 * from the next sign-in, as on AWS).
 */
async function issueDemoToken(
  local: LocalRoutes,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const body = await readBody(request, 4096);
  let username: unknown;
  try {
    username = (JSON.parse(body.toString('utf8')) as { username?: unknown }).username;
  } catch {
    username = undefined;
  }
  const user = typeof username === 'string' ? await local.users.get(username) : null;
  if (!user) {
    sendJson(response, 400, {
      error: {
        code: 'unknown_user',
        message: { zh: '没有这个演示用户。', en: 'There is no such demo user.' },
      },
    });
    return;
  }
  // As Cognito refuses a disabled user: no token at all.
  if (!user.enabled) {
    sendJson(response, 403, {
      error: {
        code: 'user_disabled',
        message: {
          zh: '该账号已被停用，请联系本辖区系统管理员。',
          en: 'This account is disabled; ask an administrator of your jurisdiction.',
        },
      },
    });
    return;
  }
  const expiresIn = 8 * 3600;
  sendJson(response, 200, {
    id_token: await local.issuer.issue(user, expiresIn),
    token_type: 'Bearer',
    expires_in: expiresIn,
  });
}

/** S3's presigned GET: a signed link's file, streamed (an export may be large). */
async function handleDownload(
  url: URL,
  response: ServerResponse,
  blobStore: FileSystemBlobStore,
  headOnly: boolean,
) {
  try {
    const download = await blobStore.openDownload(url.searchParams);
    response.writeHead(200, {
      'content-type': download.contentType,
      'content-length': String(download.bytes),
      'content-disposition': download.disposition,
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    });
    if (headOnly) {
      download.body.destroy();
      response.end();
      return;
    }
    await pipeline(download.body, response);
  } catch (error) {
    if (!(error instanceof UploadRefused)) throw error;
    sendJson(response, error.status, { error: { code: error.code, message: error.text } });
  }
}

/** S3's part: the signed upload form's target, then the photo processor (S3's event). */
async function handleUpload(
  request: IncomingMessage,
  response: ServerResponse,
  blobStore: FileSystemBlobStore,
) {
  const body = await readBody(request, FileSystemBlobStore.hardLimitBytes);
  let form: FormData;
  try {
    form = await new Request('http://local/upload', {
      method: 'POST',
      headers: { 'content-type': request.headers['content-type'] ?? '' },
      body: new Uint8Array(body),
    }).formData();
  } catch {
    sendJson(response, 400, {
      error: {
        code: 'upload_malformed',
        message: {
          zh: '上传内容格式有误（需要 multipart/form-data）。',
          en: 'The upload is malformed (multipart/form-data expected).',
        },
      },
    });
    return;
  }
  const fields: Record<string, string> = {};
  let file: { contentType: string; bytes: Uint8Array } | null = null;
  for (const [name, value] of form) {
    if (typeof value === 'string') fields[name] = value;
    else if (name === 'file') {
      file = { contentType: value.type, bytes: new Uint8Array(await value.arrayBuffer()) };
    }
  }
  try {
    const { key } = await blobStore.acceptUpload({ fields, file });
    // What S3's event notification does on AWS: the photo processor takes the upload.
    // Here it runs before the answer, so the answer can say what became of the photo.
    const processed = key.startsWith('incoming/') ? await processPhoto(key) : undefined;
    if (processed?.outcome === 'refused') {
      sendJson(response, 422, {
        error: {
          code: 'photo_refused',
          message: processed.reason
            ? photoRefusalReasons[processed.reason]
            : { zh: '该照片没有被保存。', en: 'The photo was not kept.' },
        },
      });
    } else if (processed?.outcome === 'duplicate') {
      // The slot already has its photo (or refusal): the form was used before.
      sendJson(response, 409, {
        error: {
          code: 'upload_form_used',
          message: {
            zh: '该上传凭证已经用过，每张照片只能上传一次。',
            en: 'This upload form has been used already: each takes one photo.',
          },
        },
      });
    } else sendJson(response, 201, { key });
  } catch (error) {
    if (!(error instanceof UploadRefused)) throw error;
    sendJson(response, error.status, { error: { code: error.code, message: error.text } });
  }
}
