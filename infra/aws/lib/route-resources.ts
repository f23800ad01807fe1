import type { Resource } from '@qingling/shared/api/routes.ts';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { EvidenceBucket } from './constructs/evidence-bucket.ts';
import type { HazardLifecycle } from './constructs/hazard-lifecycle.ts';
import type { LedgerExports } from './constructs/ledger-exports.ts';
import type { TipsterSecrets } from './constructs/tipster-secrets.ts';
import type { UserDirectoryGrants } from './user-directory-grants.ts';

/** The resources a route may name in `uses`, as built by the stack. */
export interface RouteResources {
  evidence: EvidenceBucket;
  secrets: TipsterSecrets;
  lifecycle: HazardLifecycle;
  ledgerExports: LedgerExports;
  userDirectory: UserDirectoryGrants;
}

/** What one `uses` entry means on AWS: the handler's environment and its role's grants. */
export interface ResourceAccess {
  environment(resources: RouteResources): Record<string, string>;
  grant(resources: RouteResources, role: IRole, fn: LambdaFunction): void;
}

/**
 * Every Resource of the route table, mapped to exactly what it grants (a new Resource
 * does not compile until it is mapped here). Handlers read these variables in
 * functions/src/dependencies.ts; the embedded cloud sets its own equivalents.
 */
export const resourceAccess: Record<Resource, ResourceAccess> = {
  evidenceUpload: {
    environment: ({ evidence }) => ({ EVIDENCE_BUCKET: evidence.bucket.bucketName }),
    grant: ({ evidence }, role) => {
      evidence.grantUpload(role);
    },
  },
  evidenceRead: {
    environment: ({ evidence }) => ({ EVIDENCE_BUCKET: evidence.bucket.bucketName }),
    grant: ({ evidence }, role) => {
      evidence.grantRead(role);
    },
  },
  hazardEvidence: {
    environment: ({ evidence }) => ({ EVIDENCE_BUCKET: evidence.bucket.bucketName }),
    grant: ({ evidence }, role) => {
      evidence.grantHazardEvidence(role);
    },
  },
  receiptKey: {
    environment: ({ secrets }) => ({ RECEIPT_KEY_SECRET_ARN: secrets.receiptKey.secretArn }),
    grant: ({ secrets }, role) => {
      secrets.grantReadReceiptKey(role);
    },
  },
  contactKey: {
    environment: ({ secrets }) => ({ CONTACT_KEY_ID: secrets.contactKey.keyArn }),
    grant: ({ secrets }, role) => {
      secrets.grantSealContact(role);
    },
  },
  contactOpen: {
    environment: ({ secrets }) => ({ CONTACT_KEY_ID: secrets.contactKey.keyArn }),
    grant: ({ secrets }, role) => {
      secrets.grantOpenContact(role);
    },
  },
  ledgerExportStart: {
    environment: ({ ledgerExports }) => ({
      LEDGER_EXPORT_FUNCTION: ledgerExports.worker.alias.functionArn,
    }),
    grant: ({ ledgerExports }, role) => {
      ledgerExports.grantStart(role);
    },
  },
  ledgerExportRead: {
    environment: ({ evidence }) => ({ EVIDENCE_BUCKET: evidence.bucket.bucketName }),
    grant: ({ evidence }, role) => {
      evidence.grantExportReads(role);
    },
  },
  userDirectory: {
    // USER_POOL_ID is set once the pool exists (UserDirectoryGrants.bind).
    environment: () => ({}),
    grant: ({ userDirectory }, role, fn) => {
      userDirectory.use(role, fn);
    },
  },
  lifecycle: {
    environment: ({ lifecycle }) => ({
      STATE_MACHINE_ARN: lifecycle.stateMachineArn,
      TIP_STATE_MACHINE_ARN: lifecycle.tipStateMachineArn,
    }),
    grant: ({ lifecycle }, role) => {
      lifecycle.grantWake(role);
    },
  },
};

/** The resources a set of routes uses, each once, in the order of the Resource type. */
export function usedResources(routes: readonly { uses?: readonly Resource[] }[]): Resource[] {
  const used = new Set(routes.flatMap((route) => route.uses ?? []));
  return (Object.keys(resourceAccess) as Resource[]).filter((resource) => used.has(resource));
}
