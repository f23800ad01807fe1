import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  HttpMethods,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface EvidenceBucketProps {
  /** Origins the browser uploads from (presigned POST): the site's origin. */
  uploadOrigins: readonly string[];
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
 */
export class EvidenceBucket extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: EvidenceBucketProps) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      cors: [
        {
          allowedOrigins: [...props.uploadOrigins],
          allowedMethods: [HttpMethods.POST, HttpMethods.GET, HttpMethods.HEAD],
          allowedHeaders: ['*'],
          exposedHeaders: ['ETag'],
          maxAge: 3000,
        },
      ],
      lifecycleRules: [
        {
          id: 'expire-old-versions-and-failed-uploads',
          noncurrentVersionExpiration: props.noncurrentVersionExpiration ?? Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
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
}
