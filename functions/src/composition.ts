import { CognitoUserDirectory } from '@qingling/shared/adapters/aws/cognito-user-directory.ts';
import { KmsContactVault } from '@qingling/shared/adapters/aws/kms-contact-vault.ts';
import { lambdaExportStarter } from '@qingling/shared/adapters/aws/lambda-export-starter.ts';
import { S3BlobListing } from '@qingling/shared/adapters/aws/s3-blob-listing.ts';
import { S3BlobStore } from '@qingling/shared/adapters/aws/s3-blob-store.ts';
import { S3BlobDigests, S3ReadUrls } from '@qingling/shared/adapters/aws/s3-evidence-reads.ts';
import { S3ExportFiles } from '@qingling/shared/adapters/aws/s3-export-files.ts';
import { SecretsManagerReceiptKeys } from '@qingling/shared/adapters/aws/secrets-manager-receipt-keys.ts';
import { SnsNotifier } from '@qingling/shared/adapters/aws/sns-notifier.ts';
import {
  StepFunctionsLifecycleConductor,
  StepFunctionsRecordWorkflow,
} from '@qingling/shared/adapters/aws/step-functions-workflow.ts';
import { DynamoBackfills } from '@qingling/shared/adapters/dynamodb/backfills.ts';
import { DynamoChainHeadsStore } from '@qingling/shared/adapters/dynamodb/chain-heads.ts';
import { createDocumentClient } from '@qingling/shared/adapters/dynamodb/client.ts';
import { DynamoEnterpriseRegister } from '@qingling/shared/adapters/dynamodb/enterprise-register.ts';
import { DynamoEventStore, repairsFrom } from '@qingling/shared/adapters/dynamodb/event-store.ts';
import { DynamoExposureList } from '@qingling/shared/adapters/dynamodb/exposure-list.ts';
import { DynamoGuessingGuard } from '@qingling/shared/adapters/dynamodb/guessing-guard.ts';
import {
  DynamoHazardLedger,
  liveHazardIds as queryLiveHazardIds,
} from '@qingling/shared/adapters/dynamodb/hazard-ledger.ts';
import { DynamoHazardStatistics } from '@qingling/shared/adapters/dynamodb/hazard-statistics.ts';
import { DynamoLedgerExports } from '@qingling/shared/adapters/dynamodb/ledger-exports.ts';
import { DynamoLifecycleWaits } from '@qingling/shared/adapters/dynamodb/lifecycle-waits.ts';
import { DynamoPolicyStore } from '@qingling/shared/adapters/dynamodb/policy-store.ts';
import { recentChanges as queryRecentChanges } from '@qingling/shared/adapters/dynamodb/recent-changes.ts';
import { DynamoReferenceData } from '@qingling/shared/adapters/dynamodb/reference-data.ts';
import { DynamoSealedData } from '@qingling/shared/adapters/dynamodb/sealed-data.ts';
import { DynamoTipInbox } from '@qingling/shared/adapters/dynamodb/tip-inbox.ts';
import { DynamoUserEdits } from '@qingling/shared/adapters/dynamodb/user-edits.ts';
import { defaultProofBits } from '@qingling/shared/api/proof-of-work.ts';
import type { Jurisdiction } from '@qingling/shared/api/schemas.ts';
import { hazardStream } from '@qingling/shared/hazards/hazard.ts';
import { nextGeneration } from '@qingling/shared/hazards/lifecycle.ts';
import { CachedPolicies } from '@qingling/shared/policies/policy-source.ts';
import type {
  BlobDigests,
  BlobListing,
  BlobReadUrls,
  BlobStore,
  ExportFiles,
} from '@qingling/shared/ports/blob-store.ts';
import { type Clock, systemClock } from '@qingling/shared/ports/clock.ts';
import type { HazardWorkflow } from '@qingling/shared/ports/hazard-workflow.ts';
import type { LedgerExportStarter } from '@qingling/shared/ports/ledger-exports.ts';
import type { LifecycleConductor } from '@qingling/shared/ports/lifecycle-conductor.ts';
import type { Notifier } from '@qingling/shared/ports/outbox.ts';
import type { ContactVault, ReceiptKeys } from '@qingling/shared/ports/secrets.ts';
import { externalDirectory, type UserDirectory } from '@qingling/shared/ports/user-directory.ts';
import { seedData } from '@qingling/shared/reference/reference-data.ts';
import { nextTipGeneration } from '@qingling/shared/tips/lifecycle.ts';
import { tipStream } from '@qingling/shared/tips/tip.ts';

/**
 * The composition root of the functions: the adapter behind each port, built from the
 * environment CDK sets on AWS, one export each (read through ./dependencies.ts). The
 * exports are live bindings: `useDependencies` replaces them for every importer.
 */
function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Environment variable ${name} is not set`);
  return value;
}

/** A DynamoDB client (the SDK is imported only by the adapters). */
type DynamoDBClient = NonNullable<Parameters<typeof createDocumentClient>[0]>;
let documents:
  | { client: ReturnType<typeof createDocumentClient>; endpoint?: string; base?: DynamoDBClient }
  | undefined;
const documentClient = () => {
  // Rebuilt if the endpoint or the runtime's client changes: the embedded cloud may restart
  // dynalite in-process.
  const endpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB;
  const base = dynamoClient();
  if (!documents || documents.endpoint !== endpoint || documents.base !== base) {
    documents = { client: createDocumentClient(base), endpoint, base };
  }
  return documents.client;
};

// One instance per Lambda instance: these adapters hold clients and caches (the receipt key).
const made: {
  blobStore?: BlobStore;
  exportFiles?: ExportFiles;
  blobReadUrls?: BlobReadUrls;
  blobDigests?: BlobDigests;
  blobListing?: BlobListing;
  receiptKeys?: ReceiptKeys;
  contactVault?: ContactVault;
  notifier?: Notifier;
  hazardWorkflow?: HazardWorkflow;
  tipWorkflow?: HazardWorkflow;
  lifecycleConductor?: LifecycleConductor;
  startLedgerExport?: LedgerExportStarter;
  userDirectory?: UserDirectory;
} = {};

let jurisdictionCache: { at: number; list: Jurisdiction[] } | undefined;
let policyCache: CachedPolicies | undefined;

const defaultClock = (): Clock => systemClock;
/**
 * The DynamoDB client the stores are built on: none on AWS (the SDK's, from the
 * environment); the embedded cloud gives its own, which does not sign requests for dynalite
 * (SigV4 was about 3 % of a burst of tips, issue 13).
 */
const defaultDynamoClient = (): DynamoDBClient | undefined => undefined;
const defaultReferenceData = () =>
  new DynamoReferenceData(documentClient(), requireEnv('TABLE_NAME'));
const defaultEventStore = () =>
  new DynamoEventStore(documentClient(), requireEnv('TABLE_NAME'), {
    repairs: repairsFrom(process.env.RECORD_REPAIRS),
  });
const defaultTipInbox = () => new DynamoTipInbox(documentClient(), requireEnv('TABLE_NAME'));
const defaultHazardLedger = () =>
  new DynamoHazardLedger(documentClient(), requireEnv('TABLE_NAME'));
/** The statistics' counters: one per Lambda instance (it counts the reads it sent). */
let statisticsStore: { store: DynamoHazardStatistics; endpoint?: string } | undefined;
const defaultHazardStatistics = () => {
  const endpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB;
  if (!statisticsStore || statisticsStore.endpoint !== endpoint) {
    statisticsStore = {
      store: new DynamoHazardStatistics(documentClient(), requireEnv('TABLE_NAME')),
      endpoint,
    };
  }
  return statisticsStore.store;
};
/** The retention sweep's index and tombstones (tips/retention-sweep.ts). */
const defaultSealedData = () => new DynamoSealedData(documentClient(), requireEnv('TABLE_NAME'));
/** The one-time data backfills (the reconciler runs the missing ones). */
const defaultBackfills = () => new DynamoBackfills(documentClient(), requireEnv('TABLE_NAME'));
const defaultEnterpriseRegister = () =>
  new DynamoEnterpriseRegister(documentClient(), requireEnv('TABLE_NAME'));
/** The public exposure page's list (EXPOSED#<jurisdiction> partitions). */
const defaultExposureList = () =>
  new DynamoExposureList(documentClient(), requireEnv('TABLE_NAME'));
const defaultGuessingGuard = () =>
  new DynamoGuessingGuard(documentClient(), requireEnv('TABLE_NAME'));
/** Zero bits a solved puzzle needs (shared/src/api/proof-of-work.ts); tests ask for fewer. */
const defaultProofOfWorkBits = (): number => defaultProofBits;
const defaultCodeVersion = () => process.env.CODE_VERSION ?? 'dev';
const defaultBlobStore = (): BlobStore =>
  (made.blobStore ??= new S3BlobStore({ bucket: requireEnv('EVIDENCE_BUCKET') }));
const defaultExportFiles = (): ExportFiles =>
  (made.exportFiles ??= new S3ExportFiles({ bucket: requireEnv('EVIDENCE_BUCKET') }));
/** Ledger export jobs (LEDGEREXPORT#<jurisdiction> partitions). */
const defaultLedgerExports = () =>
  new DynamoLedgerExports(documentClient(), requireEnv('TABLE_NAME'));
/** The export worker, invoked asynchronously (its alias ARN set by CDK). */
const defaultStartLedgerExport = (): LedgerExportStarter =>
  (made.startLedgerExport ??= lambdaExportStarter({
    functionName: requireEnv('LEDGER_EXPORT_FUNCTION'),
  }));
/** Presigned GETs: a class apart from S3BlobStore, bundled only where photos are shown. */
const defaultBlobReadUrls = (): BlobReadUrls =>
  (made.blobReadUrls ??= new S3ReadUrls({ bucket: requireEnv('EVIDENCE_BUCKET') }));
const defaultBlobDigests = (): BlobDigests =>
  (made.blobDigests ??= new S3BlobDigests({ bucket: requireEnv('EVIDENCE_BUCKET') }));
/** The orphan sweep's listing of evidence/: a class apart, bundled only there. */
const defaultBlobListing = (): BlobListing =>
  (made.blobListing ??= new S3BlobListing({ bucket: requireEnv('EVIDENCE_BUCKET') }));
const defaultReceiptKeys = (): ReceiptKeys =>
  (made.receiptKeys ??= new SecretsManagerReceiptKeys({
    secretId: requireEnv('RECEIPT_KEY_SECRET_ARN'),
  }));
const defaultContactVault = (): ContactVault =>
  (made.contactVault ??= new KmsContactVault({ keyId: requireEnv('CONTACT_KEY_ID') }));
/** The lifecycle's notifications: an SNS topic on AWS; the outbox on the embedded cloud. */
const defaultNotifier = (): Notifier =>
  (made.notifier ??= new SnsNotifier({ topicArn: requireEnv('NOTIFICATIONS_TOPIC_ARN') }));
/** What each record's lifecycle last said of itself: its wait (task token, until) or its end. */
const defaultLifecycleWaits = () =>
  new DynamoLifecycleWaits(documentClient(), requireEnv('TABLE_NAME'), () => clock().now());
/** Wakes (or starts) a record's lifecycle on Step Functions after a decision is on it. */
const recordWorkflow = (
  stateMachineVariable: string,
  field: 'hazardId' | 'tipId',
  stream: (id: string) => string,
  generation: (events: DynamoEventStore, id: string) => Promise<number>,
): HazardWorkflow =>
  new StepFunctionsRecordWorkflow({
    stateMachineArn: requireEnv(stateMachineVariable),
    waits: new DynamoLifecycleWaits(documentClient(), requireEnv('TABLE_NAME')),
    kind: {
      field,
      stream,
      nextGeneration: (id) =>
        generation(new DynamoEventStore(documentClient(), requireEnv('TABLE_NAME')), id),
    },
  });
const defaultHazardWorkflow = (): HazardWorkflow =>
  (made.hazardWorkflow ??= recordWorkflow(
    'STATE_MACHINE_ARN',
    'hazardId',
    hazardStream,
    nextGeneration,
  ));
const defaultTipWorkflow = (): HazardWorkflow =>
  (made.tipWorkflow ??= recordWorkflow(
    'TIP_STATE_MACHINE_ARN',
    'tipId',
    tipStream,
    nextTipGeneration,
  ));
/** What the lifecycle's own tasks ask of Step Functions: renew, the definition, end a wait. */
const defaultLifecycleConductor = (): LifecycleConductor =>
  (made.lifecycleConductor ??= new StepFunctionsLifecycleConductor());
/** Jurisdictions change rarely: read at most once a minute per instance. */
const defaultJurisdictions = async (): Promise<Jurisdiction[]> => {
  const now = Date.now();
  if (!jurisdictionCache || now - jurisdictionCache.at > 60_000) {
    jurisdictionCache = { at: now, list: await referenceData().listJurisdictions() };
  }
  return jurisdictionCache.list;
};
const defaultIndustries = async () => seedData.industries;
/** Administrators' policy data (calendar years, escalation ladders), versioned. */
const defaultPolicyStore = () => new DynamoPolicyStore(documentClient(), requireEnv('TABLE_NAME'));
/** The policies in force (seed and defaults with the stored edits): read once a minute. */
const defaultPolicies = (): CachedPolicies => {
  policyCache ??= new CachedPolicies({ read: () => policyStore().read() });
  return policyCache;
};
/** The hazards of some jurisdictions whose lifecycle runs (from the ledger's index). */
const defaultLiveHazardIds = (jurisdictions: readonly string[]) =>
  queryLiveHazardIds(documentClient(), requireEnv('TABLE_NAME'), jurisdictions);
/** Changes people made to records, from the index of recent changes (the reconciler's). */
const defaultRecentChanges = (from: Date, to: Date) =>
  queryRecentChanges(documentClient(), requireEnv('TABLE_NAME'), from, to);
/** Each day's published chain heads (and the ledger index they are read from). */
const defaultChainHeads = () =>
  new DynamoChainHeadsStore(documentClient(), requireEnv('TABLE_NAME'));

/**
 * The office's users: the Cognito user pool CDK names, or, under an external OIDC issuer
 * (USER_POOL_ID unset), a directory that is the organisation's and read-only here.
 */
const defaultUserDirectory = (): UserDirectory =>
  (made.userDirectory ??= process.env.USER_POOL_ID
    ? new CognitoUserDirectory({ userPoolId: process.env.USER_POOL_ID })
    : externalDirectory);
/** Each user's version and edit log (USEREDITS). */
const defaultUserEdits = () => new DynamoUserEdits(documentClient(), requireEnv('TABLE_NAME'));

// Only resetDependencies names this object, so no Lambda bundle holds it.
const defaults = {
  clock: defaultClock,
  dynamoClient: defaultDynamoClient,
  referenceData: defaultReferenceData,
  eventStore: defaultEventStore,
  tipInbox: defaultTipInbox,
  hazardLedger: defaultHazardLedger,
  hazardStatistics: defaultHazardStatistics,
  backfills: defaultBackfills,
  sealedData: defaultSealedData,
  enterpriseRegister: defaultEnterpriseRegister,
  exposureList: defaultExposureList,
  guessingGuard: defaultGuessingGuard,
  proofOfWorkBits: defaultProofOfWorkBits,
  codeVersion: defaultCodeVersion,
  blobStore: defaultBlobStore,
  exportFiles: defaultExportFiles,
  ledgerExports: defaultLedgerExports,
  startLedgerExport: defaultStartLedgerExport,
  blobReadUrls: defaultBlobReadUrls,
  blobDigests: defaultBlobDigests,
  blobListing: defaultBlobListing,
  receiptKeys: defaultReceiptKeys,
  contactVault: defaultContactVault,
  notifier: defaultNotifier,
  lifecycleWaits: defaultLifecycleWaits,
  hazardWorkflow: defaultHazardWorkflow,
  tipWorkflow: defaultTipWorkflow,
  lifecycleConductor: defaultLifecycleConductor,
  jurisdictions: defaultJurisdictions,
  industries: defaultIndustries,
  policyStore: defaultPolicyStore,
  policies: defaultPolicies,
  liveHazardIds: defaultLiveHazardIds,
  recentChanges: defaultRecentChanges,
  chainHeads: defaultChainHeads,
  userDirectory: defaultUserDirectory,
  userEdits: defaultUserEdits,
};

export type Dependencies = typeof defaults;

export let clock: Dependencies['clock'] = defaultClock;
export let dynamoClient: Dependencies['dynamoClient'] = defaultDynamoClient;
export let referenceData: Dependencies['referenceData'] = defaultReferenceData;
export let eventStore: Dependencies['eventStore'] = defaultEventStore;
export let tipInbox: Dependencies['tipInbox'] = defaultTipInbox;
export let hazardLedger: Dependencies['hazardLedger'] = defaultHazardLedger;
export let hazardStatistics: Dependencies['hazardStatistics'] = defaultHazardStatistics;
export let backfills: Dependencies['backfills'] = defaultBackfills;
export let sealedData: Dependencies['sealedData'] = defaultSealedData;
export let enterpriseRegister: Dependencies['enterpriseRegister'] = defaultEnterpriseRegister;
export let exposureList: Dependencies['exposureList'] = defaultExposureList;
export let guessingGuard: Dependencies['guessingGuard'] = defaultGuessingGuard;
export let proofOfWorkBits: Dependencies['proofOfWorkBits'] = defaultProofOfWorkBits;
export let codeVersion: Dependencies['codeVersion'] = defaultCodeVersion;
export let blobStore: Dependencies['blobStore'] = defaultBlobStore;
export let exportFiles: Dependencies['exportFiles'] = defaultExportFiles;
export let ledgerExports: Dependencies['ledgerExports'] = defaultLedgerExports;
export let startLedgerExport: Dependencies['startLedgerExport'] = defaultStartLedgerExport;
export let blobReadUrls: Dependencies['blobReadUrls'] = defaultBlobReadUrls;
export let blobDigests: Dependencies['blobDigests'] = defaultBlobDigests;
export let blobListing: Dependencies['blobListing'] = defaultBlobListing;
export let receiptKeys: Dependencies['receiptKeys'] = defaultReceiptKeys;
export let contactVault: Dependencies['contactVault'] = defaultContactVault;
export let notifier: Dependencies['notifier'] = defaultNotifier;
export let lifecycleWaits: Dependencies['lifecycleWaits'] = defaultLifecycleWaits;
export let hazardWorkflow: Dependencies['hazardWorkflow'] = defaultHazardWorkflow;
export let tipWorkflow: Dependencies['tipWorkflow'] = defaultTipWorkflow;
export let lifecycleConductor: Dependencies['lifecycleConductor'] = defaultLifecycleConductor;
export let jurisdictions: Dependencies['jurisdictions'] = defaultJurisdictions;
export let industries: Dependencies['industries'] = defaultIndustries;
export let policyStore: Dependencies['policyStore'] = defaultPolicyStore;
export let policies: Dependencies['policies'] = defaultPolicies;
export let liveHazardIds: Dependencies['liveHazardIds'] = defaultLiveHazardIds;
export let recentChanges: Dependencies['recentChanges'] = defaultRecentChanges;
export let chainHeads: Dependencies['chainHeads'] = defaultChainHeads;
export let userDirectory: Dependencies['userDirectory'] = defaultUserDirectory;
export let userEdits: Dependencies['userEdits'] = defaultUserEdits;

/** For a runtime's composition root (the embedded cloud) and for tests. */
export function useDependencies(overrides: Partial<Dependencies>): void {
  clock = overrides.clock ?? clock;
  dynamoClient = overrides.dynamoClient ?? dynamoClient;
  referenceData = overrides.referenceData ?? referenceData;
  eventStore = overrides.eventStore ?? eventStore;
  tipInbox = overrides.tipInbox ?? tipInbox;
  hazardLedger = overrides.hazardLedger ?? hazardLedger;
  hazardStatistics = overrides.hazardStatistics ?? hazardStatistics;
  backfills = overrides.backfills ?? backfills;
  sealedData = overrides.sealedData ?? sealedData;
  enterpriseRegister = overrides.enterpriseRegister ?? enterpriseRegister;
  exposureList = overrides.exposureList ?? exposureList;
  guessingGuard = overrides.guessingGuard ?? guessingGuard;
  proofOfWorkBits = overrides.proofOfWorkBits ?? proofOfWorkBits;
  codeVersion = overrides.codeVersion ?? codeVersion;
  blobStore = overrides.blobStore ?? blobStore;
  exportFiles = overrides.exportFiles ?? exportFiles;
  ledgerExports = overrides.ledgerExports ?? ledgerExports;
  startLedgerExport = overrides.startLedgerExport ?? startLedgerExport;
  blobReadUrls = overrides.blobReadUrls ?? blobReadUrls;
  blobDigests = overrides.blobDigests ?? blobDigests;
  blobListing = overrides.blobListing ?? blobListing;
  receiptKeys = overrides.receiptKeys ?? receiptKeys;
  contactVault = overrides.contactVault ?? contactVault;
  notifier = overrides.notifier ?? notifier;
  lifecycleWaits = overrides.lifecycleWaits ?? lifecycleWaits;
  hazardWorkflow = overrides.hazardWorkflow ?? hazardWorkflow;
  tipWorkflow = overrides.tipWorkflow ?? tipWorkflow;
  lifecycleConductor = overrides.lifecycleConductor ?? lifecycleConductor;
  jurisdictions = overrides.jurisdictions ?? jurisdictions;
  industries = overrides.industries ?? industries;
  policyStore = overrides.policyStore ?? policyStore;
  policies = overrides.policies ?? policies;
  liveHazardIds = overrides.liveHazardIds ?? liveHazardIds;
  recentChanges = overrides.recentChanges ?? recentChanges;
  chainHeads = overrides.chainHeads ?? chainHeads;
  userDirectory = overrides.userDirectory ?? userDirectory;
  userEdits = overrides.userEdits ?? userEdits;
}

export function resetDependencies(): void {
  useDependencies(defaults);
  jurisdictionCache = undefined;
  policyCache = undefined;
}
