import { Duration } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { EvidenceBucket } from './evidence-bucket.ts';
import { NodeFunction } from './node-function.ts';
import type { RecordsTable } from './records-table.ts';

export interface PhotoProcessorProps {
  /** functions/src/events/process-photo.ts, or a stand-in in tests. */
  entry: string;
  evidence: EvidenceBucket;
  table: RecordsTable;
  codeVersion: string;
  logRetention: RetentionDays;
}

/**
 * Removes photo metadata on the server (design principle 4): every object created under
 * incoming/ invokes this function, which re-encodes the photo with sharp (no EXIF, no
 * location), writes tips/<tipId>/<photoId>.jpg, deletes the upload and appends an event
 * to the tip's log.
 *
 * sharp is native: it is installed beside the bundle for linux arm64 (NodeFunction's
 * nativeModules). An event that still fails after Lambda's two retries goes to an
 * encrypted dead-letter queue. S3 events carry the uploader's IP address
 * (requestParameters.sourceIPAddress), so that queue keeps a message only as long as the
 * upload it names can exist (a day), and the handler must never log the event.
 */
export class PhotoProcessor extends Construct {
  readonly function: NodeFunction;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: PhotoProcessorProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(1),
    });

    this.function = new NodeFunction(this, 'Handler', {
      entry: props.entry,
      description: 'Qingling photo processor: strip metadata from uploaded photos',
      logRetention: props.logRetention,
      memorySize: 1024,
      timeout: Duration.seconds(30),
      nativeModules: ['sharp'],
      deadLetterQueue: this.deadLetterQueue,
      environment: {
        TABLE_NAME: props.table.table.tableName,
        EVIDENCE_BUCKET: props.evidence.bucket.bucketName,
        CODE_VERSION: props.codeVersion,
        POWERTOOLS_SERVICE_NAME: 'qingling',
      },
    });
    props.evidence.grantProcessUploads(this.function.role);
    props.table.grantPartitions(this.function.role, { read: [], write: ['TIP#*'] });
    // S3 invokes the alias `live`, with the invoke permission on the alias.
    this.function.invokedBy(
      ...props.evidence.processUploadsWith(this.function.alias, props.logRetention),
    );
  }
}
