import { KmsContactVault } from '@qingling/shared/adapters/aws/kms-contact-vault.ts';
import { S3BlobStore } from '@qingling/shared/adapters/aws/s3-blob-store.ts';
import { SecretsManagerReceiptKeys } from '@qingling/shared/adapters/aws/secrets-manager-receipt-keys.ts';
import { SnsNotifier } from '@qingling/shared/adapters/aws/sns-notifier.ts';
import { StepFunctionsRecordWorkflow } from '@qingling/shared/adapters/aws/step-functions-workflow.ts';
import { DynamoChainHeadsStore } from '@qingling/shared/adapters/dynamodb/chain-heads.ts';
import { createDocumentClient } from '@qingling/shared/adapters/dynamodb/client.ts';
import { DynamoEnterpriseRegister } from '@qingling/shared/adapters/dynamodb/enterprise-register.ts';
import { DynamoEventStore, repairsFrom } from '@qingling/shared/adapters/dynamodb/event-store.ts';
import { DynamoGuessingGuard } from '@qingling/shared/adapters/dynamodb/guessing-guard.ts';
import {
  DynamoHazardLedger,
  liveHazardIds,
} from '@qingling/shared/adapters/dynamodb/hazard-ledger.ts';
import { DynamoLifecycleWaits } from '@qingling/shared/adapters/dynamodb/lifecycle-waits.ts';
import { DynamoPolicyStore } from '@qingling/shared/adapters/dynamodb/policy-store.ts';
import { recentChanges } from '@qingling/shared/adapters/dynamodb/recent-changes.ts';
import { DynamoReferenceData } from '@qingling/shared/adapters/dynamodb/reference-data.ts';
import { DynamoTipInbox } from '@qingling/shared/adapters/dynamodb/tip-inbox.ts';
import { defaultProofBits } from '@qingling/shared/api/proof-of-work.ts';
import type { Jurisdiction } from '@qingling/shared/api/schemas.ts';
import { hazardStream } from '@qingling/shared/hazards/hazard.ts';
import { nextGeneration } from '@qingling/shared/hazards/lifecycle.ts';
import { CachedPolicies } from '@qingling/shared/policies/policy-source.ts';
import type { BlobStore } from '@qingling/shared/ports/blob-store.ts';
import { type Clock, systemClock } from '@qingling/shared/ports/clock.ts';
import type { HazardWorkflow } from '@qingling/shared/ports/hazard-workflow.ts';
import type { Notifier } from '@qingling/shared/ports/outbox.ts';
import type { ContactVault, ReceiptKeys } from '@qingling/shared/ports/secrets.ts';
import { seedData } from '@qingling/shared/reference/reference-data.ts';
import { nextTipGeneration } from '@qingling/shared/tips/lifecycle.ts';
import { tipStream } from '@qingling/shared/tips/tip.ts';

/**
 * The composition root of the handlers: the adapters each one uses, built from the
 * environment CDK sets on AWS. The embedded cloud, which runs the same handlers in its own
 * process, puts its local adapters in with `useDependencies` before the first request.
 */
function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Environment variable ${name} is not set`);
  return value;
}

let documents: { client: ReturnType<typeof createDocumentClient>; endpoint?: string } | undefined;
const documentClient = () => {
  // Rebuilt if the endpoint changes: the embedded cloud may restart dynalite in-process.
  const endpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB;
  if (!documents || documents.endpoint !== endpoint) {
    documents = { client: createDocumentClient(), endpoint };
  }
  return documents.client;
};

/** One instance per Lambda instance: adapters hold clients and caches (the receipt key). */
function once<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => {
    made ??= make();
    return made;
  };
}

let jurisdictionCache: { at: number; list: Jurisdiction[] } | undefined;
let policyCache: CachedPolicies | undefined;

const defaults = {
  clock: (): Clock => systemClock,
  referenceData: () => new DynamoReferenceData(documentClient(), requireEnv('TABLE_NAME')),
  eventStore: () =>
    new DynamoEventStore(documentClient(), requireEnv('TABLE_NAME'), {
      repairs: repairsFrom(process.env.RECORD_REPAIRS),
    }),
  tipInbox: () => new DynamoTipInbox(documentClient(), requireEnv('TABLE_NAME')),
  hazardLedger: () => new DynamoHazardLedger(documentClient(), requireEnv('TABLE_NAME')),
  enterpriseRegister: () =>
    new DynamoEnterpriseRegister(documentClient(), requireEnv('TABLE_NAME')),
  guessingGuard: () => new DynamoGuessingGuard(documentClient(), requireEnv('TABLE_NAME')),
  /** Zero bits a solved puzzle needs (shared/src/api/proof-of-work.ts); tests ask for fewer. */
  proofOfWorkBits: (): number => defaultProofBits,
  codeVersion: () => process.env.CODE_VERSION ?? 'dev',
  blobStore: once<BlobStore>(() => new S3BlobStore({ bucket: requireEnv('EVIDENCE_BUCKET') })),
  receiptKeys: once<ReceiptKeys>(
    () => new SecretsManagerReceiptKeys({ secretId: requireEnv('RECEIPT_KEY_SECRET_ARN') }),
  ),
  contactVault: once<ContactVault>(
    () => new KmsContactVault({ keyId: requireEnv('CONTACT_KEY_ID') }),
  ),
  /** The lifecycle's notifications: an SNS topic on AWS; the outbox on the embedded cloud. */
  notifier: once<Notifier>(
    () => new SnsNotifier({ topicArn: requireEnv('NOTIFICATIONS_TOPIC_ARN') }),
  ),
  /** What each record's lifecycle last said of itself: its wait (task token, until) or its end. */
  lifecycleWaits: () =>
    new DynamoLifecycleWaits(documentClient(), requireEnv('TABLE_NAME'), () =>
      dependencies.clock().now(),
    ),
  /** Wakes (or starts) a hazard's lifecycle after a decision is on its record. */
  hazardWorkflow: once<HazardWorkflow>(
    () =>
      new StepFunctionsRecordWorkflow({
        stateMachineArn: requireEnv('STATE_MACHINE_ARN'),
        waits: new DynamoLifecycleWaits(documentClient(), requireEnv('TABLE_NAME')),
        kind: {
          field: 'hazardId',
          stream: hazardStream,
          nextGeneration: (id) =>
            nextGeneration(new DynamoEventStore(documentClient(), requireEnv('TABLE_NAME')), id),
        },
      }),
  ),
  /** Wakes (or starts) a tip's lifecycle after a decision is on its record. */
  tipWorkflow: once<HazardWorkflow>(
    () =>
      new StepFunctionsRecordWorkflow({
        stateMachineArn: requireEnv('TIP_STATE_MACHINE_ARN'),
        waits: new DynamoLifecycleWaits(documentClient(), requireEnv('TABLE_NAME')),
        kind: {
          field: 'tipId',
          stream: tipStream,
          nextGeneration: (id) =>
            nextTipGeneration(new DynamoEventStore(documentClient(), requireEnv('TABLE_NAME')), id),
        },
      }),
  ),
  /** Jurisdictions change rarely: read at most once a minute per instance. */
  jurisdictions: async (): Promise<Jurisdiction[]> => {
    const now = Date.now();
    if (!jurisdictionCache || now - jurisdictionCache.at > 60_000) {
      jurisdictionCache = { at: now, list: await dependencies.referenceData().listJurisdictions() };
    }
    return jurisdictionCache.list;
  },
  industries: async () => seedData.industries,
  /** Administrators' policy data (calendar years, escalation ladders), versioned. */
  policyStore: () => new DynamoPolicyStore(documentClient(), requireEnv('TABLE_NAME')),
  /** The policies in force (seed and defaults with the stored edits): read once a minute. */
  policies: (): CachedPolicies => {
    policyCache ??= new CachedPolicies({ read: () => dependencies.policyStore().read() });
    return policyCache;
  },
  /** The hazards of some jurisdictions whose lifecycle runs (from the ledger's index). */
  liveHazardIds: (jurisdictions: readonly string[]) =>
    liveHazardIds(documentClient(), requireEnv('TABLE_NAME'), jurisdictions),
  /** Changes people made to records, from the index of recent changes (the reconciler's). */
  recentChanges: (from: Date, to: Date) =>
    recentChanges(documentClient(), requireEnv('TABLE_NAME'), from, to),
  /** Each day's published chain heads (and the ledger index they are read from). */
  chainHeads: () => new DynamoChainHeadsStore(documentClient(), requireEnv('TABLE_NAME')),
};

export type Dependencies = typeof defaults;
export const dependencies: Dependencies = { ...defaults };

/** For a runtime's composition root (the embedded cloud) and for tests. */
export function useDependencies(overrides: Partial<Dependencies>): void {
  Object.assign(dependencies, overrides);
}

export function resetDependencies(): void {
  Object.assign(dependencies, defaults);
  jurisdictionCache = undefined;
  policyCache = undefined;
}
