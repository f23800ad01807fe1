import { fileURLToPath } from 'node:url';

/** The repository root, found from this file so that synth works from any directory. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Where each route's handler lives: functions/src/handlers/<route.handler>.ts. */
export const handlersDir = fileURLToPath(
  new URL('../../../functions/src/handlers/', import.meta.url),
);

/** The Cognito pre-token-generation trigger. */
export const preTokenGenerationEntry = fileURLToPath(
  new URL('../../../functions/src/cognito/pre-token-generation.ts', import.meta.url),
);

/** The photo processor: strips metadata from uploaded photos (S3 ObjectCreated events). */
export const processPhotoEntry = fileURLToPath(
  new URL('../../../functions/src/events/process-photo.ts', import.meta.url),
);

/**
 * The lock file of the native modules installed into function bundles for Lambda's
 * platform (linux arm64): sharp and its prebuilt libvips. See infra/aws/native-modules.
 */
export const nativeModulesLockFile = fileURLToPath(
  new URL('../native-modules/package-lock.json', import.meta.url),
);

/** The hazard lifecycle's task handlers: functions/src/workflow/<task>.ts. */
export const workflowHandlersDir = fileURLToPath(
  new URL('../../../functions/src/workflow/', import.meta.url),
);

/** Delivers the lifecycle's notifications: e-mail, SMS and group robots (SQS events). */
export const deliverNotificationEntry = fileURLToPath(
  new URL('../../../functions/src/events/deliver-notification.ts', import.meta.url),
);

/** Publishes each day's chain heads (an EventBridge schedule, 00:05 CST). */
export const publishChainHeadsEntry = fileURLToPath(
  new URL('../../../functions/src/events/publish-chain-heads.ts', import.meta.url),
);

/** Sends the weekly report to each leader (an EventBridge schedule, Monday 09:00 CST). */
export const sendWeeklyReportsEntry = fileURLToPath(
  new URL('../../../functions/src/events/send-weekly-reports.ts', import.meta.url),
);

/** The deploy's data migrations (a CloudFormation custom resource). */
export const seedDataEntry = fileURLToPath(
  new URL('../../../functions/src/deploy/seed-data.ts', import.meta.url),
);

/** The orphan upload sweep: evidence photos no event names, a day on (EventBridge, daily). */
export const sweepOrphanUploadsEntry = fileURLToPath(
  new URL('../../../functions/src/events/sweep-orphan-uploads.ts', import.meta.url),
);

/** The retention sweep: erases tips' sealed data past their period (EventBridge, daily). */
export const sweepSealedDataEntry = fileURLToPath(
  new URL('../../../functions/src/events/sweep-sealed-data.ts', import.meta.url),
);

/** The ledger export worker (invoked asynchronously by the ledger's export route). */
export const exportHazardLedgerEntry = fileURLToPath(
  new URL('../../../functions/src/events/export-hazard-ledger.ts', import.meta.url),
);
