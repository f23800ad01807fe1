import { type CfnResource, Duration, Names, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Grant, type IRole } from 'aws-cdk-lib/aws-iam';
import { CfnPermission, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  EventType,
  HttpMethods,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Construct, type IConstruct } from 'constructs';

/**
 * Where objects live in the bucket. Browsers upload to `incoming/` (photos as they left
 * the phone, metadata and all); the photo processor writes the cleaned copy under
 * `tips/` (later `hazards/` for rectification evidence) and deletes the upload.
 */
export const evidencePrefixes = {
  incoming: 'incoming/',
  /** Hazards' evidence photos as uploaded (processed like a tip's). */
  incomingHazards: 'incoming/hazards/',
  tips: 'tips/',
  /** Files made on the server for one download (the hazard ledger's export). */
  exports: 'exports/',
  /** Hazards' evidence photos, cleaned: evidence/<hazardId>/<uploadId>. */
  evidence: 'evidence/',
} as const;

/** What officers read: the cleaned copies (hazards/ joins when evidence uploads do). */
export const storedPrefixes = [evidencePrefixes.tips] as const;

export interface EvidenceBucketProps {
  /**
   * How long an overwritten or deleted photo's old version is kept. Versioning guards
   * against mistakes; it must not keep a photo that the retention sweep deleted forever.
   */
  noncurrentVersionExpiration?: Duration;
}

/**
 * Photos and documents: tipsters' photos (metadata stripped on the server), enterprises'
 * rectification evidence. Private, encrypted, versioned, TLS only, and without server
 * access logs: those would record every tipster's IP address next to the upload.
 *
 * Uploads under `incoming/` expire after a day, and so do their old versions, and the
 * delete markers left alone are removed: an upload the processor never handled, or the
 * original it deleted (a noncurrent version, the bucket being versioned), does not linger
 * with its EXIF location in it. A day is the shortest S3 allows; S3 rounds it up to the
 * next midnight UTC (infra/aws/README.md, Photos, says how long that makes it).
 */
export class EvidenceBucket extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: EvidenceBucketProps = {}) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: 'expire-old-versions-and-failed-uploads',
          noncurrentVersionExpiration: props.noncurrentVersionExpiration ?? Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        {
          id: 'expire-unprocessed-uploads',
          prefix: evidencePrefixes.incoming,
          expiration: Duration.days(1),
          noncurrentVersionExpiration: Duration.days(1),
        },
        {
          // An export is fetched once, through a link valid for minutes: a day is plenty.
          id: 'expire-exports',
          prefix: evidencePrefixes.exports,
          expiration: Duration.days(1),
          noncurrentVersionExpiration: Duration.days(1),
        },
        {
          id: 'remove-delete-markers-of-uploads',
          prefix: evidencePrefixes.incoming,
          expiredObjectDeleteMarker: true,
        },
      ],
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Anonymity (design principle 4): tipsters upload photos straight to this bucket, and ' +
        'S3 server access logs would store each uploader IP address and user agent.',
    });
  }

  /** Lets the site's origins POST upload forms (presigned POST) straight to the bucket. */
  allowUploadsFrom(origins: readonly string[]): void {
    this.bucket.addCorsRule({
      allowedOrigins: [...origins],
      allowedMethods: [HttpMethods.POST, HttpMethods.GET, HttpMethods.HEAD],
      allowedHeaders: ['*'],
      exposedHeaders: ['ETag'],
      maxAge: 3000,
    });
  }

  /**
   * evidenceUpload: s3:PutObject under incoming/. A presigned POST is signed with the
   * role's credentials, so the role that signs the form must itself be allowed the upload;
   * the form's policy then pins the exact key, size and type.
   */
  grantUpload(role: IRole): Grant {
    return this.grantObjects(role, ['s3:PutObject'], evidencePrefixes.incoming, [
      'The upload key holds a tip id made at intake: the role signs presigned POST forms for',
      'new keys under incoming/, and each form pins its one exact key, size and type.',
    ]);
  }

  /**
   * evidenceRead: s3:GetObject on the stored (cleaned) photos, plus s3:ListBucket so that a
   * missing photo answers 404 (get → null, as on the embedded cloud) rather than 403.
   */
  grantRead(role: IRole): Grant[] {
    return [
      ...storedPrefixes.map((prefix) =>
        this.grantObjects(role, ['s3:GetObject'], prefix, [
          `Officers read the cleaned photos of any tip of their jurisdiction under ${prefix};`,
          'the handler checks the jurisdiction, and key names come from the record.',
        ]),
      ),
      this.grantList(role),
    ];
  }

  /**
   * The ledger export worker: write export files under exports/ (PutObject covers the
   * multipart upload's create, parts and completion; AbortMultipartUpload cleans up a
   * failed one). It reads none back.
   */
  grantExportWrites(role: IRole): Grant {
    return this.grantObjects(
      role,
      ['s3:PutObject', 's3:AbortMultipartUpload'],
      evidencePrefixes.exports,
      [
        'The ledger export worker writes one new file per job under exports/ (jurisdiction',
        'and a random id in the key).',
      ],
    );
  }

  /**
   * ledgerExportRead: read export files (GetObject: the link the function presigns is
   * signed with its credentials), never write them.
   */
  grantExportReads(role: IRole): Grant {
    return this.grantObjects(role, ['s3:GetObject'], evidencePrefixes.exports, [
      "The export status route presigns a short-lived GET link to a finished job's file",
      "under exports/; the job (of the caller's jurisdiction) names the key.",
    ]);
  }

  /**
   * The photo processor: read and delete uploads, write the cleaned copies under tips/.
   * It can write nothing under incoming/, so its own writes never trigger it again.
   */
  grantProcessUploads(role: IRole): Grant[] {
    const reason = [
      'The photo processor handles whichever upload arrives: it reads and deletes under',
      'incoming/ and writes the cleaned photo under tips/, per tip and photo id.',
    ];
    return [
      this.grantObjects(
        role,
        // DeleteObjectVersion: the upload's own version is deleted, not hidden behind a
        // delete marker, so no original with its metadata stays in the versioned bucket.
        ['s3:GetObject', 's3:DeleteObject', 's3:DeleteObjectVersion'],
        evidencePrefixes.incoming,
        reason,
      ),
      this.grantObjects(role, ['s3:PutObject'], evidencePrefixes.tips, reason),
      // A hazard's photo: stored once under evidence/ (it looks first: the first is final).
      this.grantObjects(role, ['s3:GetObject', 's3:PutObject'], evidencePrefixes.evidence, reason),
      this.grantList(role),
    ];
  }

  /**
   * hazardEvidence: a hazard's photos only, never a tip's: sign upload forms under
   * incoming/hazards/, read the cleaned copies under evidence/ (their hashes, and the
   * presigned GETs the console shows). The enterprise's link routes hold this and nothing
   * of tips/.
   */
  grantHazardEvidence(role: IRole): Grant[] {
    const reason = [
      'Keys under evidence/ and incoming/hazards/ are made by the handler from a hazard the',
      'caller may act on (its jurisdiction, or its link); a tip photo is never under them.',
    ];
    return [
      this.grantObjects(role, ['s3:PutObject'], evidencePrefixes.incomingHazards, reason),
      this.grantObjects(role, ['s3:GetObject'], evidencePrefixes.evidence, reason),
      this.grantList(role),
    ];
  }

  /**
   * The orphan upload sweep: list the keys under evidence/ (the listing's prefix held to
   * it) and delete there; it reads no photo and touches nothing of tips/ or incoming/.
   */
  grantOrphanSweep(role: IRole): Grant[] {
    return [
      this.grantObjects(role, ['s3:DeleteObject'], evidencePrefixes.evidence, [
        'The orphan upload sweep deletes, under evidence/ only, the photos and thumbnails of',
        'hazards that no event names, a day after they were stored.',
      ]),
      Grant.addToPrincipal({
        grantee: role,
        actions: ['s3:ListBucket'],
        resourceArns: [this.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${evidencePrefixes.evidence}*`] } },
      }),
    ];
  }

  /**
   * Sends every object created under incoming/ to the photo processor (its alias). CDK
   * sets the notification with a deploy-time handler of its own, whose logs get a
   * retention here. Returns the invoke permissions made for S3 (the notification waits
   * for them), so that they can wait for the alias they name.
   */
  processUploadsWith(processor: IFunction, logRetention: RetentionDays): CfnPermission[] {
    const before = new Set(this.bucket.node.children);
    this.bucket.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(processor), {
      prefix: evidencePrefixes.incoming,
    });
    const permissions = this.bucket.node.children.filter(
      (child): child is CfnPermission => child instanceof CfnPermission && !before.has(child),
    );
    const stack = Stack.of(this);
    for (const child of stack.node.children) {
      if (!child.node.id.startsWith('BucketNotificationsHandler')) continue;
      acknowledgeNotificationHandlerFindings(child);
      const fn = child.node.tryFindChild('Resource') as CfnResource | undefined;
      if (fn && !child.node.tryFindChild('Logs')) {
        const logs = new LogGroup(child, 'Logs', {
          retention: logRetention,
          removalPolicy: RemovalPolicy.DESTROY,
        });
        fn.addPropertyOverride('LoggingConfig', { LogGroup: logs.logGroupName });
      }
    }
    return permissions;
  }

  private grantList(role: IRole): Grant {
    return Grant.addToPrincipal({
      grantee: role,
      actions: ['s3:ListBucket'],
      resourceArns: [this.bucket.bucketArn],
    });
  }

  private grantObjects(role: IRole, actions: string[], prefix: string, reason: string[]): Grant {
    const grant = Grant.addToPrincipal({
      grantee: role,
      actions,
      resourceArns: [this.bucket.arnForObjects(`${prefix}*`)],
    });
    const cfnBucket = this.bucket.node.defaultChild as CfnBucket;
    // In a nested stack (the API's route groups) the ARN arrives as a parameter CDK names
    // after the bucket's unique id.
    const bucketArn =
      Stack.of(role) === Stack.of(this)
        ? `${Stack.of(this).getLogicalId(cfnBucket)}.Arn`
        : `referenceto${Names.uniqueId(cfnBucket)}Arn`;
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketArn}>/${prefix}*]`,
      reason: reason.join(' '),
    });
    return grant;
  }
}

/**
 * The findings on CDK's own bucket-notification Lambda (a singleton at the stack's root):
 * a deploy-time function that writes the bucket's notification configuration.
 */
function acknowledgeNotificationHandlerFindings(handler: IConstruct): void {
  Validations.of(handler).acknowledge(
    {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        "CDK's bucket-notification handler runs with AWSLambdaBasicExecutionRole (log " +
        'writes); it is a deploy-time function outside the request path.',
    },
    {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        "CDK's bucket-notification handler needs s3:PutBucketNotification on * to set the " +
        "evidence bucket's event notification at deploy time; it never touches objects.",
    },
    {
      id: 'AwsSolutions-L1',
      reason:
        "The runtime of CDK's bucket-notification handler (Python) is pinned by aws-cdk-lib; " +
        'our own functions run Node.js 24.',
    },
  );
}
