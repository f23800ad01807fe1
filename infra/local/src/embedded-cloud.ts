import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { createDocumentClient } from '@qingling/shared/adapters/dynamodb/client.ts';
import { DynamoEventStore } from '@qingling/shared/adapters/dynamodb/event-store.ts';
import { liveHazardIds } from '@qingling/shared/adapters/dynamodb/hazard-ledger.ts';
import { DynamoLifecycleWaits } from '@qingling/shared/adapters/dynamodb/lifecycle-waits.ts';
import { DynamoPolicyStore } from '@qingling/shared/adapters/dynamodb/policy-store.ts';
import { DynamoReferenceData } from '@qingling/shared/adapters/dynamodb/reference-data.ts';
import { liveTipIds } from '@qingling/shared/adapters/dynamodb/tip-inbox.ts';
import { FileOutbox } from '@qingling/shared/adapters/local/file-outbox.ts';
import {
  FileSystemBlobStore,
  UploadRefused,
} from '@qingling/shared/adapters/local/fs-blob-store.ts';
import {
  LocalContactVault,
  StaticReceiptKeys,
} from '@qingling/shared/adapters/local/local-secrets.ts';
import { apiError } from '@qingling/shared/api/errors.ts';
import {
  defaultProofBits,
  proofChallengeHeader,
  proofHeader,
  proofKeyFrom,
} from '@qingling/shared/api/proof-of-work.ts';
import { routes } from '@qingling/shared/api/routes.ts';
import { lastEndedDay } from '@qingling/shared/chain-heads/chain-heads.ts';
import { defaultEscalationPolicy } from '@qingling/shared/hazards/escalation.ts';
import { hazardStream } from '@qingling/shared/hazards/hazard.ts';
import { nextGeneration, planTurn, recordDueSteps } from '@qingling/shared/hazards/lifecycle.ts';
import { defaultLookBackPolicy } from '@qingling/shared/hazards/look-back.ts';
import { recordContactDirectory } from '@qingling/shared/notifications/jurisdiction-directory.ts';
import { CachedPolicies } from '@qingling/shared/policies/policy-source.ts';
import { type Clock, systemClock } from '@qingling/shared/ports/clock.ts';
import { seedData } from '@qingling/shared/reference/reference-data.ts';
import {
  nextTipGeneration,
  planTipTurn,
  recordDueTipSteps,
} from '@qingling/shared/tips/lifecycle.ts';
import { defaultTipTimeLimits } from '@qingling/shared/tips/time-limits.ts';
import { photoRefusalReasons, tipStream } from '@qingling/shared/tips/tip.ts';
import { reconcilerTiming } from '@qingling/shared/workflow/reconcile.ts';
import { useDependencies } from '#functions/dependencies.ts';
import { processPhoto } from '#functions/events/process-photo.ts';
import { publishDueChainHeads } from '#functions/events/publish-chain-heads.ts';
import { reconcileRecords } from '#functions/workflow/reconcile.ts';
import {
  hazardLifecyclePath,
  loadDefinition,
  localSubstitutions,
  tipLifecyclePath,
} from '../../workflows/definitions.ts';
import { type LambdaHandler, LocalApiGateway } from './api-gateway.ts';
import { demoUsers } from './auth/demo-users.ts';
import { LocalTokenIssuer } from './auth/token-issuer.ts';
import { seedDemoRecords } from './demo-records.ts';
import { startLocalDynamo } from './dynamodb.ts';
import { renderOutboxPage } from './outbox-page.ts';
import { defaultDataDirectory, defaultWebRoot, repositoryRoot } from './paths.ts';
import { AnonymousRateLimiter, ProofGate } from './rate-limiter.ts';
import { ScaledClock } from './scaled-clock.ts';
import { serveStatic } from './static-site.ts';
import { LocalWorkflowConductor } from './workflow/conductor.ts';

export { defaultDataDirectory, defaultWebRoot } from './paths.ts';

const handlersDirectory = join(repositoryRoot, 'functions/src/handlers');
export const tableName = 'qingling-records';
/** What the local API accepts in one request body (API Gateway's own limit is 10 MB). */
const apiBodyLimitBytes = 1024 * 1024;

export interface EmbeddedCloudOptions {
  dataDirectory?: string;
  port?: number;
  host?: string;
  webRoot?: string;
  clock?: Clock;
  /** Without an injected clock: how many times faster than real time the clock runs. */
  clockSpeed?: number;
  /** Per-client budget of the public tip routes (anonymous, in memory). */
  publicRequestsPerMinute?: number;
  /** Zero bits of the proof-of-work puzzles (default 18); tests ask for easy ones. */
  proofOfWorkBits?: number;
  /**
   * Seed a lived-in demo office (enterprises, hazards, tips) into an empty store: `npm
   * start` asks for it; tests, which count what they write, do not.
   */
  demoRecords?: boolean;
  /** For tests: awaited after everything has started, before requests are served. */
  beforeReady?: () => Promise<void>;
}

export interface EmbeddedCloud {
  url: string;
  dataDirectory: string;
  blobStore: FileSystemBlobStore;
  outbox: FileOutbox;
  issuer: LocalTokenIssuer;
  /** Runs the lifecycle ASL for each hazard (aws-local-stepfunctions). */
  conductor: LocalWorkflowConductor;
  /** Runs the tip lifecycle ASL for each tip whose time limits run. */
  tipConductor: LocalWorkflowConductor;
  clock: Clock;
  /** The policies in force (calendar, ladders), shared by the handlers and the lifecycles. */
  policies: CachedPolicies;
  /** One sweep of the reconciler now (it also runs every few seconds on the heartbeat). */
  reconcile(): Promise<unknown>;
  stop(): Promise<void>;
}

function codeVersion(): string {
  const { version } = JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8')) as {
    version: string;
  };
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: repositoryRoot,
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .trim();
    return `${version}+${commit}`;
  } catch {
    return version;
  }
}

interface LocalSecrets {
  blobSigningKey: string;
  receiptKey: string;
  contactKey: string;
}

/** The deployment's secrets, made once and kept in .data (Secrets Manager and KMS on AWS). */
async function loadSecrets(path: string): Promise<LocalSecrets> {
  let stored: Partial<LocalSecrets> = {};
  try {
    stored = JSON.parse(await readFile(path, 'utf8')) as Partial<LocalSecrets>;
  } catch {}
  const secrets: LocalSecrets = {
    blobSigningKey: stored.blobSigningKey ?? randomBytes(32).toString('base64'),
    receiptKey: stored.receiptKey ?? randomBytes(32).toString('base64'),
    contactKey: stored.contactKey ?? randomBytes(32).toString('base64'),
  };
  if (Object.keys(stored).length !== 3) {
    await writeFile(path, JSON.stringify(secrets), { mode: 0o600 });
  }
  return secrets;
}

class BodyTooLarge extends Error {}

async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  });
  response.end(JSON.stringify(body));
}

const tooLargeError = {
  error: {
    code: 'payload_too_large',
    message: { zh: '内容超过大小限制。', en: 'The content is larger than allowed.' },
  },
};

/**
 * The whole system on one machine: dynalite for DynamoDB, a folder for S3, a local token
 * issuer for Cognito, an outbox for SES/SNS, and an HTTP server that plays API Gateway and
 * CloudFront in front of the same Lambda handlers and the built web app.
 */
export async function startEmbeddedCloud(
  options: EmbeddedCloudOptions = {},
): Promise<EmbeddedCloud> {
  const dataDirectory = resolve(options.dataDirectory ?? defaultDataDirectory);
  await mkdir(dataDirectory, { recursive: true });
  const scaledClock = options.clock
    ? null
    : new ScaledClock({
        path: join(dataDirectory, 'clock.json'),
        speed: options.clockSpeed ?? 1,
        // Still until the stack is ready: nothing comes due while it starts.
        paused: true,
      });
  const clock: Clock = options.clock ?? scaledClock ?? systemClock;
  const host = options.host ?? '127.0.0.1';
  const webRoot = options.webRoot ?? defaultWebRoot;
  const secrets = await loadSecrets(join(dataDirectory, 'secrets.json'));

  const dynamo = await startLocalDynamo({ path: join(dataDirectory, 'dynamodb'), tableName });
  // The handlers read the same variables on AWS (set by CDK); here they point at dynalite.
  Object.assign(process.env, {
    TABLE_NAME: tableName,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_REGION: process.env.AWS_REGION ?? 'cn-north-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    CODE_VERSION: codeVersion(),
    POWERTOOLS_SERVICE_NAME: 'qingling',
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    // CloudWatch metrics (EMF lines) mean nothing on one machine.
    POWERTOOLS_METRICS_DISABLED: 'true',
  });

  const referenceData = new DynamoReferenceData(createDocumentClient(dynamo.client), tableName);
  await referenceData.seed(seedData);
  const users = demoUsers(seedData.jurisdictions);

  // The port answers from the moment it listens: 503 with Retry-After while the stack is
  // still starting (resuming lifecycles can take a while), never a request left hanging.
  let serve: ((request: IncomingMessage, response: ServerResponse) => Promise<void>) | undefined;
  const server = createServer((request, response) => {
    if (serve) {
      void serve(request, response);
      return;
    }
    const { status, body } = apiError('service_starting');
    response.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'retry-after': '1',
    });
    response.end(JSON.stringify(body));
  });
  server.listen(options.port ?? 8787, host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const url = `http://${host}:${port}`;

  const issuer = await LocalTokenIssuer.open({
    keyPath: join(dataDirectory, 'issuer-key.json'),
    issuer: `${url}/auth`,
    clock,
  });
  const blobStore = new FileSystemBlobStore({
    root: join(dataDirectory, 'blobs'),
    uploadUrl: `${url}/_local/uploads`,
    secret: Buffer.from(secrets.blobSigningKey, 'base64'),
    clock,
  });
  // One cache for the handlers and the lifecycles: an administrator's edit reaches both at once.
  const policyStore = new DynamoPolicyStore(createDocumentClient(dynamo.client), tableName);
  const policies = new CachedPolicies({ read: () => policyStore.read() });
  const events = new DynamoEventStore(createDocumentClient(dynamo.client), tableName);
  // Each message's `to` resolved as AWS's delivery function does: the enterprise register
  // and the contact lists administrators keep, read at each message.
  const outbox = new FileOutbox(
    join(dataDirectory, 'outbox.jsonl'),
    clock,
    recordContactDirectory({ events, contacts: policyStore }),
  );
  const lifecycle = {
    events,
    notifier: outbox,
    clock,
    policy: defaultEscalationPolicy,
    policyFor: (jurisdiction: string) => policies.escalationPolicy(jurisdiction),
    lookBack: defaultLookBackPolicy,
  };
  // The calendar in force, read (through the cache) at each task, as the Lambda tasks do.
  const withCalendar = async () => ({ ...lifecycle, calendar: await policies.calendar() });
  // Where each lifecycle keeps what it last said of itself (its wait, its end), as on AWS.
  const lifecycleWaits = new DynamoLifecycleWaits(
    createDocumentClient(dynamo.client),
    tableName,
    () => clock.now(),
  );
  const conductor = new LocalWorkflowConductor({
    definition: loadDefinition(hazardLifecyclePath, localSubstitutions),
    clock,
    waits: lifecycleWaits,
    stream: hazardStream,
    tasks: {
      plan: async ({ id, ...input }) => planTurn(await withCalendar(), { ...input, hazardId: id }),
      escalate: async ({ id, generation }) =>
        recordDueSteps(await withCalendar(), { hazardId: id, generation }),
      nextGeneration: (hazardId) => nextGeneration(lifecycle.events, hazardId),
    },
  });
  const tipLifecycle = async () => ({
    ...(await withCalendar()),
    limits: defaultTipTimeLimits,
    officeHours: defaultEscalationPolicy.officeHours,
  });
  const tipConductor = new LocalWorkflowConductor({
    definition: loadDefinition(tipLifecyclePath, localSubstitutions),
    clock,
    waits: lifecycleWaits,
    stream: tipStream,
    field: 'tipId',
    tasks: {
      plan: async ({ id, ...input }) => planTipTurn(await tipLifecycle(), { ...input, tipId: id }),
      escalate: async ({ id, generation }) =>
        recordDueTipSteps(await tipLifecycle(), { tipId: id, generation }),
      nextGeneration: (tipId) => nextTipGeneration(lifecycle.events, tipId),
    },
  });
  // After a restart the waits the WAIT items hold become timers again (a Query of the index
  // of next-due times, not a run of every lifecycle); a live record without one (data kept
  // before WAIT items existed) starts from the ledger's and the inbox's indexes. What was
  // under way at the kill is found by the reconciler's first sweep, below.
  const documents = createDocumentClient(dynamo.client);
  const codes = seedData.jurisdictions.map((jurisdiction) => jurisdiction.code);
  if (options.demoRecords) {
    // Before the lifecycles are resumed: the seeded records' lifecycles start below.
    await seedDemoRecords({
      events,
      documents,
      tableName,
      jurisdictions: codes,
      now: clock.now(),
      calendar: await policies.calendar(),
      policy: await policies.escalationPolicy('cq-gecheng'),
      receiptKey: await new StaticReceiptKeys(secrets.receiptKey).receiptKey(),
      notifier: outbox,
    });
  }
  const restoredHazards = await conductor.restore();
  for (const hazardId of await liveHazardIds(documents, tableName, codes)) {
    if (!restoredHazards.has(hazardId)) conductor.start(hazardId);
  }
  const restoredTips = await tipConductor.restore();
  for (const tipId of await liveTipIds(documents, tableName, codes)) {
    if (!restoredTips.has(tipId)) tipConductor.start(tipId);
  }
  // Each day's chain heads, published once the CST day has ended (00:05 CST on AWS): at
  // start (a day that ended while the cloud was down) and on every heartbeat after. One
  // publication at a time; the store makes a second one of the same day change nothing.
  let chainHeadsThrough = '';
  let chainHeadsRun: Promise<void> | undefined;
  let chainHeadsFailedAt = 0;
  const publishChainHeads = (): Promise<void> | undefined => {
    if (chainHeadsRun || lastEndedDay(clock.now()) <= chainHeadsThrough) return chainHeadsRun;
    if (Date.now() - chainHeadsFailedAt < 60_000) return undefined;
    chainHeadsRun = publishDueChainHeads()
      .then((result) => {
        chainHeadsThrough = result.day.date;
      })
      .catch((error: unknown) => {
        chainHeadsFailedAt = Date.now();
        console.error('embedded cloud: chain heads not published', error);
      })
      .finally(() => {
        chainHeadsRun = undefined;
      });
    return chainHeadsRun;
  };
  // The clock's heartbeat: due waits end, and the fast clock's time is kept in .data. A
  // faster clock beats faster (a simulated minute a beat, 100 beats a second at most), so a
  // step is not recorded late merely for waiting for a beat (the ladder marks a step late 15
  // simulated minutes after its time; the timers are a heap, a beat costs nothing).
  const beatMs = Math.max(10, Math.min(1000, 60_000 / (scaledClock?.speed ?? 1)));
  // The reconciler (every five minutes on AWS): here every few real seconds, with a grace
  // of at least half a real minute, however fast the clock (a busy runner is not lost).
  const speed = scaledClock?.speed ?? 1;
  const graceMs = Math.max(reconcilerTiming.graceMs, 30_000 * speed);
  let reconciling: Promise<unknown> | undefined;
  let reconciledAt = 0;
  /** Changes up to here were looked at: each sweep looks at the new ones (and a minute more). */
  let sweptUntil: number | undefined;
  const sweep = (timing: { graceMs: number; lookBackMs: number }) => {
    reconciledAt = Date.now();
    const from = sweptUntil === undefined ? undefined : new Date(sweptUntil - 60_000);
    reconciling ??= reconcileRecords({ ...timing, ...(from ? { from } : {}) })
      .then((result) => {
        sweptUntil = Date.parse(result.until);
      })
      .catch((error: unknown) => console.error('embedded cloud: reconciler failed', error))
      .finally(() => {
        reconciling = undefined;
      });
    return reconciling;
  };
  const heartbeat = setInterval(() => {
    conductor.tick();
    tipConductor.tick();
    void publishChainHeads();
    if (Date.now() - reconciledAt > 5000) {
      void sweep({ graceMs, lookBackMs: graceMs + reconcilerTiming.lookBackMs });
    }
    scaledClock?.save();
  }, beatMs);
  heartbeat.unref();
  const receiptKeys = new StaticReceiptKeys(secrets.receiptKey);
  const proofOfWorkBits = options.proofOfWorkBits ?? defaultProofBits;
  const contactVault = new LocalContactVault(secrets.contactKey);
  // The handlers run in this process: give them the local adapters behind their ports.
  useDependencies({
    clock: () => clock,
    hazardWorkflow: () => conductor,
    tipWorkflow: () => tipConductor,
    blobStore: () => blobStore,
    receiptKeys: () => receiptKeys,
    contactVault: () => contactVault,
    policies: () => policies,
    proofOfWorkBits: () => proofOfWorkBits,
  });
  await publishChainHeads();
  // Windows in real time (a fast clock must not loosen the limit), or the injected clock's.
  const injectedClock = options.clock;
  const publicLimiter = new AnonymousRateLimiter({
    perWindow: options.publicRequestsPerMinute ?? 120,
    windowMs: 60_000,
    ...(injectedClock ? { now: () => injectedClock.now().getTime() } : {}),
  });
  // Past the per-address budget a solved puzzle lets a request in, on the cloud's clock
  // (the handlers check the same puzzles on it).
  const proofGate = new ProofGate({
    key: await proofKeyFrom(await receiptKeys.receiptKey()),
    bits: proofOfWorkBits,
    now: () => clock.now(),
  });
  const gateway = new LocalApiGateway({
    routes,
    verifyToken: (token) => issuer.verify(token),
    loadHandler: async (name) =>
      ((await import(join(handlersDirectory, `${name}.ts`))) as { handler: LambdaHandler }).handler,
  });

  const handleRequest = async (request: IncomingMessage, response: ServerResponse) => {
    let requestUrl: URL;
    try {
      requestUrl = new URL(request.url ?? '/', url);
    } catch {
      // "//" and the like: no URL can be made of it (an exception here would be unhandled).
      const { status, body } = apiError('malformed_path');
      sendJson(response, status, body);
      return;
    }
    const path = requestUrl.pathname;
    const method = request.method ?? 'GET';
    try {
      const limited = path.startsWith('/api/tips') || path === '/_local/uploads';
      const verdict = limited ? publicLimiter.take(request.socket.remoteAddress ?? '') : null;
      const proof = request.headers[proofHeader];
      if (
        verdict &&
        !verdict.allowed &&
        !(await proofGate.admit(typeof proof === 'string' ? proof : undefined))
      ) {
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
            [proofChallengeHeader]: await proofGate.challenge(),
          },
        );
        return;
      }
      if (path.startsWith('/api/')) {
        const body = await readBody(request, apiBodyLimitBytes);
        const result = await gateway.handle({
          method,
          url: requestUrl,
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
      } else if (path === '/config.json') {
        sendJson(response, 200, { auth: { mode: 'local', issuer: issuer.issuer } });
      } else if (path === '/auth/.well-known/openid-configuration') {
        sendJson(response, 200, issuer.discovery());
      } else if (path === '/auth/jwks.json') {
        sendJson(response, 200, issuer.jwks());
      } else if (path === '/auth/demo-users') {
        sendJson(response, 200, {
          users: users.map(({ username, name, roles, jurisdictions, jurisdictionName }) => ({
            username,
            name,
            roles,
            jurisdictions,
            jurisdictionName,
          })),
        });
      } else if (path === '/auth/token' && method === 'POST') {
        const body = await readBody(request, 4096);
        let username: unknown;
        try {
          username = (JSON.parse(body.toString('utf8')) as { username?: unknown }).username;
        } catch {
          username = undefined;
        }
        const user = users.find((candidate) => candidate.username === username);
        if (!user) {
          sendJson(response, 400, {
            error: {
              code: 'unknown_user',
              message: { zh: '没有这个演示用户。', en: 'There is no such demo user.' },
            },
          });
          return;
        }
        const expiresIn = 8 * 3600;
        sendJson(response, 200, {
          id_token: await issuer.issue(user, expiresIn),
          token_type: 'Bearer',
          expires_in: expiresIn,
        });
      } else if (path === '/_local/uploads' && method === 'POST') {
        await handleUpload(request, response, blobStore);
      } else if (path === '/_local/outbox.json') {
        sendJson(response, 200, { entries: await outbox.list() });
      } else if (path === '/_local/outbox') {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end(renderOutboxPage(await outbox.list()));
      } else if (method === 'GET' || method === 'HEAD') {
        await serveStatic(webRoot, path, response);
      } else {
        sendJson(response, 405, { message: 'Method Not Allowed' });
      }
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
  // Before the first request: whatever was under way at a kill (a change whose lifecycle
  // had not planned from it, a record whose state was not yet written) is woken now.
  await sweep({ graceMs: 0, lookBackMs: 24 * 3600 * 1000 });
  await options.beforeReady?.();
  scaledClock?.resume();
  serve = handleRequest;

  return {
    url,
    dataDirectory,
    blobStore,
    outbox,
    issuer,
    conductor,
    tipConductor,
    clock,
    policies,
    reconcile: () => sweep({ graceMs, lookBackMs: graceMs + reconcilerTiming.lookBackMs }),
    stop: async () => {
      clearInterval(heartbeat);
      scaledClock?.save();
      await chainHeadsRun;
      await reconciling;
      await conductor.stop();
      await tipConductor.stop();
      server.closeAllConnections();
      server.close();
      await dynamo.stop();
    },
  };
}

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
