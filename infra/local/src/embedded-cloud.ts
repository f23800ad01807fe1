import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createDocumentClient } from '@qingling/shared/adapters/dynamodb/client.ts';
import { DynamoEventStore } from '@qingling/shared/adapters/dynamodb/event-store.ts';
import { DynamoHazardLedger } from '@qingling/shared/adapters/dynamodb/hazard-ledger.ts';
import { DynamoHazardStatistics } from '@qingling/shared/adapters/dynamodb/hazard-statistics.ts';
import {
  backfillHazardHistory,
  backfillSealedDataIndex,
  backfillTipPlaceIndex,
} from '@qingling/shared/adapters/dynamodb/ledger-backfills.ts';
import { DynamoLifecycleWaits } from '@qingling/shared/adapters/dynamodb/lifecycle-waits.ts';
import { DynamoPolicyStore } from '@qingling/shared/adapters/dynamodb/policy-store.ts';
import { DynamoReferenceData } from '@qingling/shared/adapters/dynamodb/reference-data.ts';
import { DynamoWeeklyReportMarker } from '@qingling/shared/adapters/dynamodb/weekly-report-marker.ts';
import { FileOutbox } from '@qingling/shared/adapters/local/file-outbox.ts';
import { FileUserDirectory } from '@qingling/shared/adapters/local/file-user-directory.ts';
import { FileSystemBlobStore } from '@qingling/shared/adapters/local/fs-blob-store.ts';
import {
  LocalContactVault,
  StaticReceiptKeys,
} from '@qingling/shared/adapters/local/local-secrets.ts';
import { defaultProofBits, proofKeyFrom } from '@qingling/shared/api/proof-of-work.ts';
import { createAccessLink } from '@qingling/shared/enterprises/access-link.ts';
import { enterpriseStream } from '@qingling/shared/enterprises/enterprise.ts';
import { recordContactDirectory } from '@qingling/shared/notifications/jurisdiction-directory.ts';
import { CachedPolicies } from '@qingling/shared/policies/policy-source.ts';
import { type Clock, systemClock } from '@qingling/shared/ports/clock.ts';
import { seedData } from '@qingling/shared/reference/reference-data.ts';
import type { Reconciliation } from '@qingling/shared/workflow/reconcile.ts';
import { dependencies, useDependencies } from '#functions/dependencies.ts';
import { sendWeeklyReports } from '#functions/events/send-weekly-reports.ts';
import { sweepOrphanUploads } from '#functions/events/sweep-orphan-uploads.ts';
import { sweepRetention } from '#functions/events/sweep-sealed-data.ts';
import { linkKeyFrom } from '#functions/hazards/link-key.ts';
import { demoDirectoryEntries } from './auth/demo-users.ts';
import { LocalTokenIssuer } from './auth/token-issuer.ts';
import { BackgroundExports } from './background-exports.ts';
import { demoJurisdiction, seedDemoRecords } from './demo-records.ts';
import { startLocalDynamo } from './dynamodb.ts';
import {
  type LocalConductors,
  oldestDueOf,
  resumeLifecycles,
  startConductors,
  stopConductors,
  tickConductors,
} from './lifecycles.ts';
import { type LocalSecrets, loadSecrets, pointHandlersAt } from './local-environment.ts';
import { localApiGateway, localRequestHandler, type PublicGate } from './local-routes.ts';
import { listenWhileStarting } from './local-server.ts';
import { defaultDataDirectory, defaultWebRoot } from './paths.ts';
import { AnonymousRateLimiter, ProofGate } from './rate-limiter.ts';
import { ScaledClock } from './scaled-clock.ts';
import {
  ChainHeadsPublisher,
  DailySweepSchedule,
  ReconcilerSweeps,
  startHeartbeat,
  WeeklyReportSchedule,
} from './scheduled-jobs.ts';
import type { LocalWorkflowConductor } from './workflow/conductor.ts';
import { turnSharedContacts, turnSharedEvents } from './workflow/turn-reads.ts';

export { defaultDataDirectory, defaultWebRoot } from './paths.ts';

export const tableName = 'qingling-records';

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
  /** Awaited after everything has started, before requests are served (tests; npm start awaits its web build). */
  beforeReady?: () => Promise<void>;
  /**
   * The scheduled jobs on the heartbeat (reconciler, chain heads, weekly reports, daily
   * sweeps); default on. A test that counts every call at the store turns them off (the
   * lifecycles' timers still tick); it can still run each by hand.
   */
  scheduledJobs?: boolean;
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
  reconcile(): Promise<Reconciliation | undefined>;
  /** One retention sweep now (the heartbeat runs one each CST day): what it erased. */
  sweepRetention(): Promise<unknown>;
  /** The orphan upload sweep, now (it runs once a day by the clock on its own). */
  sweepOrphanUploads(): Promise<unknown>;
  /** The weekly reports, if due by the clock, now (the heartbeat does the same). */
  weeklyReports(): Promise<void>;
  /** The ledger exports' background worker (settled(): none under way). */
  exports: BackgroundExports;
  stop(): Promise<void>;
}

/**
 * The whole system on one machine: dynalite for DynamoDB, a folder for S3, a local token
 * issuer for Cognito, an outbox for SES/SNS, and an HTTP server that plays API Gateway and
 * CloudFront in front of the same Lambda handlers and the built web app.
 *
 * The order of the steps matters: the port answers (503) before anything slow starts; the
 * demo records are seeded before the lifecycles resume (so theirs start too); the
 * reconciler's first sweep runs before the first request; the clock resumes last.
 */
export async function startEmbeddedCloud(
  options: EmbeddedCloudOptions = {},
): Promise<EmbeddedCloud> {
  const dataDirectory = resolve(options.dataDirectory ?? defaultDataDirectory);
  await mkdir(dataDirectory, { recursive: true });
  const { clock, scaledClock } = cloudClock(options, dataDirectory);
  const speed = scaledClock?.speed ?? 1;
  const secrets = await loadSecrets(join(dataDirectory, 'secrets.json'));

  const dynamo = await startLocalDynamo({ path: join(dataDirectory, 'dynamodb'), tableName });
  pointHandlersAt(dynamo, tableName);
  await new DynamoReferenceData(createDocumentClient(dynamo.client), tableName).seed(seedData);

  // From here on the port answers: 503 with Retry-After until the stack is ready.
  const server = await listenWhileStarting(options.port ?? 8787, options.host ?? '127.0.0.1');
  const adapters = await localAdapters({ url: server.url, dataDirectory, secrets, dynamo, clock });
  const { events, outbox, policies } = adapters;
  const conductors = startConductors({
    events,
    notifier: outbox,
    clock,
    policies,
    waits: adapters.lifecycleWaits,
    siteUrl: server.url,
    // The link key from the receipt secret, as the Escalate function derives it on AWS.
    enterpriseLink: async (hazardId, expiresAt) =>
      createAccessLink(await linkKeyFrom(await adapters.receiptKeys.receiptKey()), {
        hazardId,
        expiresAt,
      }),
  });

  // A fast clock waits for the steps that fell due (a burst after a holiday), so that a
  // demonstration or a bench shows the lateness of the system, not of the host.
  scaledClock?.holdFor(() => oldestDueOf(conductors));

  const documents = createDocumentClient(dynamo.client);
  const jurisdictions = seedData.jurisdictions.map((jurisdiction) => jurisdiction.code);
  if (options.demoRecords) {
    // Before the lifecycles are resumed: the seeded records' lifecycles start with them.
    await seedDemoRecords({
      events,
      documents,
      tableName,
      jurisdictions,
      now: clock.now(),
      calendar: await policies.calendar(),
      policy: await policies.escalationPolicy('cq-gecheng'),
      receiptKey: await adapters.receiptKeys.receiptKey(),
      notifier: outbox,
    });
  }
  // The spans each older hazard's log says ended (a past week's report counts them), once,
  // before the counters count them.
  await backfillHazardHistory({ documents, tableName, jurisdictions });
  // The statistics' counters of hazards written before they existed: built once, before
  // anything else writes.
  await new DynamoHazardStatistics(documents, tableName).ensureBuilt(jurisdictions, {
    now: clock.now(),
  });
  // The filtered ledger's index attributes of hazards written before those indexes: once.
  const hazardLedger = new DynamoHazardLedger(documents, tableName);
  await hazardLedger.ensureIndexed(jurisdictions);
  // Who recorded each hazard (the desk's "my cases"), for hazards recorded before: once.
  await hazardLedger.ensureRecordedBy(jurisdictions);
  // Tips whose sealed data outlive their ended reward matter, on the retention sweep's
  // index, for tips written before it: once.
  await backfillSealedDataIndex({ documents, tableName, jurisdictions });
  // Tips on the possible duplicates' indexes, for tips written before them: once.
  await backfillTipPlaceIndex({ documents, tableName, jurisdictions });
  await resumeLifecycles(conductors, { documents, tableName, jurisdictions });

  const chainHeads = new ChainHeadsPublisher(clock);
  const weeklyReports = new WeeklyReportSchedule(
    clock,
    new DynamoWeeklyReportMarker(documents, tableName),
    () => sendWeeklyReports({ siteUrl: server.url }),
  );
  const reconciler = new ReconcilerSweeps(speed);
  const retention = new DailySweepSchedule(clock, () => sweepRetention(), 'retention sweep');
  // Evidence photos no record names, a day old (daily at 04:00 CST on AWS): once a day.
  const orphans = new DailySweepSchedule(clock, () => sweepOrphanUploads(), 'orphan sweep');
  // Due waits end, the jobs that are due run, and the fast clock's time is kept in .data.
  const scheduledJobs = options.scheduledJobs ?? true;
  const stopHeartbeat = startHeartbeat(speed, () => {
    tickConductors(conductors);
    if (scheduledJobs) {
      void chainHeads.publish();
      void weeklyReports.due();
      reconciler.whenDue();
      void retention.due();
      void orphans.due();
    }
    scaledClock?.save();
  });
  const proofOfWorkBits = options.proofOfWorkBits ?? defaultProofBits;
  const exports = new BackgroundExports();
  useLocalAdapters(adapters, conductors, proofOfWorkBits, exports);
  // A day that ended while the cloud was down (after the line above: the publication, like
  // the reconciler's sweeps, reads the clock and the stores through the handlers' ports).
  await chainHeads.publish();
  // A Monday 09:00 CST that passed while the cloud was down: its reports go now.
  await weeklyReports.due();

  const handleRequest = localRequestHandler({
    url: server.url,
    webRoot: options.webRoot ?? defaultWebRoot,
    issuer: adapters.issuer,
    users: adapters.users,
    jurisdictions: () => dependencies.jurisdictions(),
    blobStore: adapters.blobStore,
    outbox,
    publicGate: await publicGate(options, clock, adapters.receiptKeys, proofOfWorkBits),
    gateway: localApiGateway(adapters.issuer),
    clock,
  });
  // Before the first request: whatever was under way at a kill is woken now.
  await reconciler.afterStart();
  await options.beforeReady?.();
  scaledClock?.resume();
  server.ready(handleRequest);

  return {
    url: server.url,
    dataDirectory,
    blobStore: adapters.blobStore,
    outbox,
    issuer: adapters.issuer,
    conductor: conductors.hazard,
    tipConductor: conductors.tip,
    clock,
    policies,
    reconcile: () => reconciler.now(),
    sweepRetention: () => retention.now(),
    sweepOrphanUploads: () => orphans.now(),
    weeklyReports: async () => {
      await weeklyReports.due();
    },
    exports,
    stop: async () => {
      await exports.settled();
      stopHeartbeat();
      scaledClock?.close();
      await chainHeads.running;
      await weeklyReports.running;
      await reconciler.running;
      await retention.running;
      await stopConductors(conductors);
      await server.close();
      await dynamo.stop();
    },
  };
}

/**
 * The injected clock (tests), or a scaled clock kept in .data: still until the stack is
 * ready, so nothing comes due while it starts.
 */
function cloudClock(
  options: EmbeddedCloudOptions,
  dataDirectory: string,
): { clock: Clock; scaledClock: ScaledClock | null } {
  const scaledClock = options.clock
    ? null
    : new ScaledClock({
        path: join(dataDirectory, 'clock.json'),
        speed: options.clockSpeed ?? 1,
        paused: true,
      });
  return { clock: options.clock ?? scaledClock ?? systemClock, scaledClock };
}

/** What stands in for Cognito, S3, DynamoDB's stores, Secrets Manager, KMS and SNS. */
async function localAdapters(input: {
  url: string;
  dataDirectory: string;
  secrets: LocalSecrets;
  dynamo: { client: Parameters<typeof createDocumentClient>[0] };
  clock: Clock;
}) {
  const { url, dataDirectory, secrets, dynamo, clock } = input;
  const issuer = await LocalTokenIssuer.open({
    keyPath: join(dataDirectory, 'issuer-key.json'),
    issuer: `${url}/auth`,
    clock,
  });
  // Cognito's user pool: the demo users first, then what administrators add and change.
  const users = new FileUserDirectory({
    path: join(dataDirectory, 'users.json'),
    seed: () => demoDirectoryEntries(seedData.jurisdictions, demoJurisdiction),
  });
  const blobStore = new FileSystemBlobStore({
    root: join(dataDirectory, 'blobs'),
    uploadUrl: `${url}/_local/uploads`,
    downloadUrl: `${url}/_local/downloads`,
    secret: Buffer.from(secrets.blobSigningKey, 'base64'),
    clock,
  });
  // One cache for the handlers and the lifecycles: an administrator's edit reaches both at once.
  const policyStore = new DynamoPolicyStore(createDocumentClient(dynamo.client), tableName);
  const policies = new CachedPolicies({ read: () => policyStore.read() });
  // A lifecycle turn reads the enterprise register and the contact lists once, its
  // messages' recipients included (turn-reads.ts); anything else reads the store each time.
  const events = turnSharedEvents(
    new DynamoEventStore(createDocumentClient(dynamo.client), tableName),
    (stream) => stream.startsWith(enterpriseStream('', '').slice(0, -1)),
  );
  const contactVault = new LocalContactVault(secrets.contactKey);
  // Each message's `to` resolved as AWS's delivery function does: the enterprise register
  // and the contact lists administrators keep, read at each message; a tip's sealed phone
  // opened as its message is written (the claim reminder), each opening logged on the tip.
  const outbox = new FileOutbox(
    join(dataDirectory, 'outbox.jsonl'),
    clock,
    recordContactDirectory({
      events,
      contacts: turnSharedContacts(policyStore),
      tipsterPhones: { vault: contactVault, clock },
    }),
  );
  // Where each lifecycle keeps what it last said of itself (its wait, its end), as on AWS.
  const lifecycleWaits = new DynamoLifecycleWaits(
    createDocumentClient(dynamo.client),
    tableName,
    () => clock.now(),
  );
  return {
    clock,
    dynamoClient: dynamo.client,
    issuer,
    users,
    blobStore,
    policies,
    events,
    outbox,
    lifecycleWaits,
    receiptKeys: new StaticReceiptKeys(secrets.receiptKey),
    contactVault,
  };
}

/** The handlers run in this process: give them the local adapters behind their ports. */
function useLocalAdapters(
  adapters: Awaited<ReturnType<typeof localAdapters>>,
  conductors: LocalConductors,
  proofOfWorkBits: number,
  exports: BackgroundExports,
): void {
  useDependencies({
    startLedgerExport: () => exports.start,
    clock: () => adapters.clock,
    // The handlers' stores on the embedded cloud's own client (no SigV4 for dynalite).
    dynamoClient: () => adapters.dynamoClient,
    hazardWorkflow: () => conductors.hazard,
    tipWorkflow: () => conductors.tip,
    blobStore: () => adapters.blobStore,
    exportFiles: () => adapters.blobStore,
    blobReadUrls: () => adapters.blobStore,
    blobDigests: () => adapters.blobStore,
    blobListing: () => adapters.blobStore,
    receiptKeys: () => adapters.receiptKeys,
    contactVault: () => adapters.contactVault,
    policies: () => adapters.policies,
    userDirectory: () => adapters.users,
    proofOfWorkBits: () => proofOfWorkBits,
    // The scheduled jobs' messages (the weekly reports) go where the lifecycles' go.
    notifier: () => adapters.outbox,
  });
}

/**
 * The public routes' budget: windows in real time (a fast clock must not loosen the
 * limit), or the injected clock's. Past it a solved puzzle lets a request in, on the
 * cloud's clock (the handlers check the same puzzles on it).
 */
async function publicGate(
  options: EmbeddedCloudOptions,
  clock: Clock,
  receiptKeys: StaticReceiptKeys,
  bits: number,
): Promise<PublicGate> {
  const injectedClock = options.clock;
  return {
    limiter: new AnonymousRateLimiter({
      perWindow: options.publicRequestsPerMinute ?? 120,
      windowMs: 60_000,
      ...(injectedClock ? { now: () => injectedClock.now().getTime() } : {}),
    }),
    proofs: new ProofGate({
      key: await proofKeyFrom(await receiptKeys.receiptKey()),
      bits,
      now: () => clock.now(),
    }),
  };
}
