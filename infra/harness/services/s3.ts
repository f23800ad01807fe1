import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';
import {
  AccessDenied,
  type AwsRequest,
  type AwsResponse,
  type Caller,
  ServiceError,
  type ServiceHandler,
  type ServiceRegistration,
  xmlEscape,
} from '../aws-endpoint.ts';
import { evaluate, type PolicyStatement } from '../iam.ts';
import type { LambdaRuntime } from '../lambda-runtime.ts';
import type { DeployedTemplate } from '../template.ts';

/**
 * S3 for the template's buckets, objects kept in memory. SDK calls arrive path-style
 * (`/bucket/key`: AWS_ENDPOINT_URL is an IP address), are held to the caller's role and
 * to the explicit denies of the bucket policy, and answer in S3's XML. A browser's upload
 * form (presigned POST) is checked as S3 checks it: the signature over the policy, its
 * expiration and every condition, then s3:PutObject as the role that signed it. A created
 * object fires the bucket's Lambda notifications (CDK's Custom::S3BucketNotifications),
 * where a Lambda permission lets s3.amazonaws.com invoke the function, asynchronously and
 * with Lambda's retries for asynchronous events.
 *
 * Not emulated: multipart uploads, copies, ranges, conditional requests, tagging, ACLs,
 * CORS, and Allow statements of bucket policies (same-account roles here are granted by
 * their identity policies).
 */

/** The secret every role's credentials carry in the harness (lambda-runtime.ts). */
const harnessSecret = 'harness';

/** What S3 replaces in a form's key with the uploaded file's name. */
const filenameVariable = ['$', '{filename}'].join('');

export interface StoredObject {
  body: Buffer;
  contentType: string;
  metadata: Record<string, string>;
  /** How many versions of this key were written, this one included. */
  versions: number;
  versionId?: string;
  eTag: string;
  lastModified: Date;
}

export interface FailedNotification {
  functionArn: string;
  event: unknown;
  error: string;
  attempts: number;
}

interface Bucket {
  logicalId: string;
  name: string;
  arn: string;
  versioned: boolean;
  encryption?: string;
  objects: Map<string, StoredObject>;
  /** Versions a versioned bucket keeps behind an overwrite or a delete marker. */
  noncurrent: Map<string, StoredObject[]>;
  writes: Map<string, number>;
}

type Json = Record<string, unknown>;

/** An S3 error, with the extra elements S3 puts in its XML (ProposedSize, Key...). */
class S3Error extends ServiceError {
  readonly details: Record<string, string>;
  constructor(code: string, message: string, status: number, details: Record<string, string> = {}) {
    super(code, message, status);
    this.details = details;
  }
}

const xmlDeclaration = '<?xml version="1.0" encoding="UTF-8"?>\n';

function errorResponse(error: ServiceError): AwsResponse {
  const details = error instanceof S3Error ? error.details : {};
  const requestId = randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase();
  const extra = Object.entries(details)
    .map(([name, value]) => `<${name}>${xmlEscape(value)}</${name}>`)
    .join('');
  return {
    status: error.status,
    headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId },
    body: `${xmlDeclaration}<Error><Code>${error.code}</Code><Message>${xmlEscape(error.message)}</Message>${extra}<RequestId>${requestId}</RequestId><HostId>harness</HostId></Error>`,
  };
}

const accessDenied = (message = 'Access Denied') => new S3Error('AccessDenied', message, 403);
const policyRefusal = (reason: string) => accessDenied(`Invalid according to Policy: ${reason}`);

export class S3Service {
  /** Notifications whose function failed every attempt, or that S3 could not deliver. */
  readonly failed: FailedNotification[] = [];
  private readonly buckets = new Map<string, Bucket>();
  private readonly template: DeployedTemplate;
  private readonly runtime: LambdaRuntime;
  private readonly callerOf: (roleLogicalId: string) => Caller;
  private readonly busy = new Set<Promise<unknown>>();

  constructor(
    template: DeployedTemplate,
    runtime: LambdaRuntime,
    callerOf: (roleLogicalId: string) => Caller,
  ) {
    this.template = template;
    this.runtime = runtime;
    this.callerOf = callerOf;
    for (const { logicalId, resource } of template.ofType('AWS::S3::Bucket')) {
      const properties = (template.resolve(resource.Properties ?? {}) ?? {}) as Json;
      const name = template.ref(logicalId);
      const versioning = properties.VersioningConfiguration as { Status?: string } | undefined;
      const encryption = (
        properties.BucketEncryption as
          | {
              ServerSideEncryptionConfiguration?: {
                ServerSideEncryptionByDefault?: { SSEAlgorithm?: string };
              }[];
            }
          | undefined
      )?.ServerSideEncryptionConfiguration?.[0]?.ServerSideEncryptionByDefault?.SSEAlgorithm;
      this.buckets.set(name, {
        logicalId,
        name,
        arn: template.getAtt(logicalId, 'Arn'),
        versioned: versioning?.Status === 'Enabled',
        // Since 2023 S3 encrypts every new object with SSE-S3 unless told otherwise.
        encryption: encryption ?? 'AES256',
        objects: new Map(),
        noncurrent: new Map(),
        writes: new Map(),
      });
    }
  }

  /** The keys in a bucket (by name or logical id), sorted as S3 lists them. */
  objects(bucket: string): string[] {
    return [...this.bucketNamed(bucket).objects.keys()].sort(byUtf8);
  }

  /** One stored object, or undefined. */
  object(bucket: string, key: string): StoredObject | undefined {
    return this.bucketNamed(bucket).objects.get(key);
  }

  /** Resolves once no notification (and no retry of one) is under way. */
  async settled(): Promise<void> {
    while (this.busy.size) await Promise.allSettled([...this.busy]);
  }

  /** SigV4-signed SDK calls: GetObject, HeadObject, PutObject, DeleteObject, ListObjectsV2. */
  registration(): ServiceRegistration {
    return {
      error: errorResponse,
      denied: (message) => errorResponse(accessDenied(message)),
      handle: (request, caller) => this.handle(request, caller),
    };
  }

  /** For `endpoint.serveUnsigned`: a browser's POST of an upload form (presigned POST). */
  uploadForm(): ServiceHandler {
    return async (request, caller) => {
      try {
        if (request.method === 'POST') return await this.postObject(request);
        // Anything else unsigned is an anonymous request: the buckets block public access.
        const { bucket, key } = this.route(request);
        caller.authorize({
          action: 's3:GetObject',
          resource: `${bucket.arn}${key ? `/${key}` : ''}`,
        });
        throw accessDenied();
      } catch (error) {
        if (error instanceof AccessDenied) return errorResponse(accessDenied(error.message));
        if (error instanceof ServiceError) return errorResponse(error);
        throw error;
      }
    };
  }

  // ---- SDK operations ---------------------------------------------------------------------

  private async handle(request: AwsRequest, caller: Caller): Promise<AwsResponse> {
    const { bucket, key } = this.route(request);
    const query = request.url.searchParams;
    const unsupported = ['uploads', 'uploadId', 'tagging', 'acl', 'delete']
      .concat(request.method === 'DELETE' ? [] : ['versionId'])
      .find((name) => query.has(name));
    if (unsupported || request.headers['x-amz-copy-source'] || request.headers.range) {
      throw new S3Error(
        'NotImplemented',
        `The harness does not emulate this S3 request (${request.method} ${request.url.pathname}${request.url.search})`,
        501,
      );
    }
    if (key === '') {
      if (request.method === 'GET' && query.get('list-type') === '2') {
        return this.listObjects(bucket, query, caller);
      }
      if (request.method === 'HEAD') {
        this.authorize(caller, bucket, 's3:ListBucket', bucket.arn);
        return { status: 200, headers: { 'x-amz-bucket-region': this.template.place.region } };
      }
    } else {
      switch (request.method) {
        case 'GET':
        case 'HEAD':
          return this.getObject(bucket, key, request.method === 'HEAD', caller);
        case 'PUT':
          return this.putObject(bucket, key, request, caller);
        case 'DELETE':
          return this.deleteObject(bucket, key, caller, query.get('versionId') ?? undefined);
      }
    }
    throw new S3Error(
      'NotImplemented',
      `The harness does not emulate ${request.method} ${request.url.pathname}${request.url.search}`,
      501,
    );
  }

  private getObject(bucket: Bucket, key: string, head: boolean, caller: Caller): AwsResponse {
    this.authorize(caller, bucket, 's3:GetObject', objectArn(bucket, key));
    const object = bucket.objects.get(key);
    if (!object) {
      // S3 tells a missing key from a forbidden one only to callers that may list the bucket.
      this.authorize(caller, bucket, 's3:ListBucket', bucket.arn);
      throw new S3Error('NoSuchKey', 'The specified key does not exist.', 404, { Key: key });
    }
    return {
      status: 200,
      headers: {
        ...objectHeaders(bucket, object),
        'content-type': object.contentType,
        'content-length': String(object.body.length),
        'last-modified': object.lastModified.toUTCString(),
        'accept-ranges': 'bytes',
        ...Object.fromEntries(
          Object.entries(object.metadata).map(([name, value]) => [`x-amz-meta-${name}`, value]),
        ),
      },
      ...(head ? {} : { body: object.body }),
    };
  }

  private putObject(bucket: Bucket, key: string, request: AwsRequest, caller: Caller): AwsResponse {
    this.authorize(caller, bucket, 's3:PutObject', objectArn(bucket, key));
    const body = payloadOf(request);
    const metadata: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (name.startsWith('x-amz-meta-') && value !== undefined) {
        metadata[name.slice('x-amz-meta-'.length)] = [value].flat().join(',');
      }
    }
    const object = this.store(bucket, key, {
      body,
      contentType: String(request.headers['content-type'] ?? 'binary/octet-stream'),
      metadata,
    });
    this.notify(bucket, key, object, 'ObjectCreated:Put', caller);
    return { status: 200, headers: objectHeaders(bucket, object) };
  }

  private deleteObject(
    bucket: Bucket,
    key: string,
    caller: Caller,
    versionId?: string,
  ): AwsResponse {
    if (versionId) {
      // That version itself goes, current or not, and no delete marker is made.
      this.authorize(caller, bucket, 's3:DeleteObjectVersion', objectArn(bucket, key));
      if (bucket.objects.get(key)?.versionId === versionId) bucket.objects.delete(key);
      const older = (bucket.noncurrent.get(key) ?? []).filter(
        (kept) => kept.versionId !== versionId,
      );
      bucket.noncurrent.set(key, older);
      return { status: 204, headers: { 'x-amz-version-id': versionId } };
    }
    this.authorize(caller, bucket, 's3:DeleteObject', objectArn(bucket, key));
    const current = bucket.objects.get(key);
    if (bucket.versioned && current) this.keepNoncurrent(bucket, key, current);
    const existed = bucket.objects.delete(key);
    // A versioned bucket keeps the versions and puts a delete marker on top.
    const headers: Record<string, string> =
      bucket.versioned && existed
        ? { 'x-amz-delete-marker': 'true', 'x-amz-version-id': versionIdOf(bucket, key, -1) }
        : {};
    return { status: 204, headers };
  }

  private listObjects(bucket: Bucket, query: URLSearchParams, caller: Caller): AwsResponse {
    const prefix = query.get('prefix') ?? '';
    const delimiter = query.get('delimiter') ?? '';
    const maxKeys = Math.min(Number(query.get('max-keys') ?? 1000), 1000);
    this.authorize(caller, bucket, 's3:ListBucket', bucket.arn, {
      's3:prefix': prefix,
      ...(delimiter ? { 's3:delimiter': delimiter } : {}),
      's3:max-keys': String(maxKeys),
    });
    const token = query.get('continuation-token');
    const after = token
      ? Buffer.from(token, 'base64url').toString('utf8')
      : query.get('start-after');
    const encode =
      query.get('encoding-type') === 'url' ? encodeURIComponent : (text: string) => text;
    const entries: { key?: string; commonPrefix?: string }[] = [];
    const seenPrefixes = new Set<string>();
    for (const key of this.objects(bucket.name)) {
      if (!key.startsWith(prefix)) continue;
      // After a common prefix, the keys it stood for are skipped too.
      if (
        after &&
        (byUtf8(key, after) <= 0 ||
          (delimiter && after.endsWith(delimiter) && key.startsWith(after)))
      ) {
        continue;
      }
      const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
      if (cut >= 0) {
        const common = key.slice(0, cut + delimiter.length);
        if (!seenPrefixes.has(common)) entries.push({ commonPrefix: common });
        seenPrefixes.add(common);
      } else {
        entries.push({ key });
      }
    }
    const page = entries.slice(0, maxKeys);
    const truncated = entries.length > page.length;
    const last = page.at(-1);
    const contents = page
      .map(({ key, commonPrefix }) => {
        if (commonPrefix !== undefined) {
          return `<CommonPrefixes><Prefix>${xmlEscape(encode(commonPrefix))}</Prefix></CommonPrefixes>`;
        }
        const object = bucket.objects.get(key ?? '') as StoredObject;
        return `<Contents><Key>${xmlEscape(encode(key ?? ''))}</Key><LastModified>${object.lastModified.toISOString()}</LastModified><ETag>${xmlEscape(object.eTag)}</ETag><Size>${object.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
      })
      .join('');
    const next =
      truncated && last
        ? `<NextContinuationToken>${Buffer.from(last.key ?? last.commonPrefix ?? '').toString('base64url')}</NextContinuationToken>`
        : '';
    return xml(
      200,
      `<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${xmlEscape(bucket.name)}</Name><Prefix>${xmlEscape(encode(prefix))}</Prefix>${delimiter ? `<Delimiter>${xmlEscape(encode(delimiter))}</Delimiter>` : ''}<KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys>${query.get('encoding-type') === 'url' ? '<EncodingType>url</EncodingType>' : ''}<IsTruncated>${truncated}</IsTruncated>${token ? `<ContinuationToken>${xmlEscape(token)}</ContinuationToken>` : ''}${next}${contents}</ListBucketResult>`,
    );
  }

  // ---- the upload form ----------------------------------------------------------------------

  private async postObject(request: AwsRequest): Promise<AwsResponse> {
    const { bucket } = this.route(request);
    const contentType = String(request.headers['content-type'] ?? '');
    if (!contentType.toLowerCase().startsWith('multipart/form-data')) {
      throw new S3Error(
        'PreconditionFailed',
        'At least one of the pre-conditions you specified did not hold',
        412,
        { Condition: 'Bucket POST must be of the enclosure-type multipart/form-data' },
      );
    }
    let parsed: FormData;
    try {
      parsed = await new Response(new Uint8Array(request.body), {
        headers: { 'content-type': contentType },
      }).formData();
    } catch {
      throw new S3Error(
        'MalformedPOSTRequest',
        'The body of your POST request is not well-formed multipart/form-data.',
        400,
      );
    }
    // Fields by lower-case name, up to the file: S3 ignores whatever follows it.
    const fields = new Map<string, string>();
    let file: { body: Buffer; filename: string } | undefined;
    for (const [name, value] of parsed.entries()) {
      if (name.toLowerCase() === 'file') {
        file =
          typeof value === 'string'
            ? { body: Buffer.from(value), filename: '' }
            : { body: Buffer.from(await value.arrayBuffer()), filename: value.name };
        break;
      }
      if (fields.has(name.toLowerCase())) {
        throw new S3Error('InvalidArgument', `The field ${name} is given more than once.`, 400, {
          ArgumentName: name,
        });
      }
      fields.set(name.toLowerCase(), typeof value === 'string' ? value : await value.text());
    }
    if (!fields.has('key')) {
      throw new S3Error(
        'InvalidArgument',
        "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.",
        400,
        { ArgumentName: 'key', ArgumentValue: '' },
      );
    }
    if (!file) {
      throw new S3Error(
        'InvalidArgument',
        'POST requires exactly one file upload per request.',
        400,
        {
          ArgumentName: 'file',
          ArgumentValue: '0',
        },
      );
    }
    if (fields.has('bucket') && fields.get('bucket') !== bucket.name) {
      throw new S3Error(
        'InvalidArgument',
        'The bucket field does not name the bucket the form is posted to.',
        400,
        { ArgumentName: 'bucket', ArgumentValue: fields.get('bucket') ?? '' },
      );
    }
    const key = (fields.get('key') ?? '').replaceAll(filenameVariable, file.filename);
    fields.set('key', key);

    const caller = this.verifySignature(fields);
    const policy = policyOf(fields.get('policy') ?? '');
    if (Date.parse(policy.expiration) <= Date.now()) throw policyRefusal('Policy expired.');
    checkConditions(policy.conditions, fields, bucket.name, file.body.length);
    this.authorize(caller, bucket, 's3:PutObject', objectArn(bucket, key));

    const metadata: Record<string, string> = {};
    for (const [name, value] of fields) {
      if (name.startsWith('x-amz-meta-')) metadata[name.slice('x-amz-meta-'.length)] = value;
    }
    const object = this.store(bucket, key, {
      body: file.body,
      // S3 takes the type from the Content-Type field, not from the file part's header.
      contentType: fields.get('content-type') ?? 'binary/octet-stream',
      metadata,
    });
    this.notify(bucket, key, object, 'ObjectCreated:Post', caller);

    const location = `${request.url.origin}/${bucket.name}/${encodeKey(key)}`;
    const headers = { ...objectHeaders(bucket, object), location };
    const redirect = fields.get('success_action_redirect') ?? fields.get('redirect');
    if (redirect) {
      const target = new URL(redirect);
      target.searchParams.set('bucket', bucket.name);
      target.searchParams.set('key', key);
      target.searchParams.set('etag', object.eTag);
      return { status: 303, headers: { ...headers, location: target.toString() } };
    }
    const status = Number(fields.get('success_action_status') ?? 204);
    if (status === 201) {
      return xml(
        201,
        `<PostResponse><Location>${xmlEscape(location)}</Location><Bucket>${xmlEscape(bucket.name)}</Bucket><Key>${xmlEscape(key)}</Key><ETag>${xmlEscape(object.eTag)}</ETag></PostResponse>`,
        headers,
      );
    }
    return { status: status === 200 ? 200 : 204, headers };
  }

  /** The form's SigV4 signature over its base64 policy, and the role that made it. */
  private verifySignature(fields: Map<string, string>): Caller {
    for (const name of ['policy', 'x-amz-algorithm', 'x-amz-credential', 'x-amz-signature']) {
      if (!fields.has(name)) {
        throw new S3Error(
          'InvalidArgument',
          `Bucket POST must contain a field named '${name}'.  If it is specified, please check the order of the fields.`,
          400,
          { ArgumentName: name, ArgumentValue: '' },
        );
      }
    }
    if (fields.get('x-amz-algorithm') !== 'AWS4-HMAC-SHA256') {
      throw new S3Error('InvalidArgument', 'Unsupported algorithm', 400, {
        ArgumentName: 'x-amz-algorithm',
        ArgumentValue: fields.get('x-amz-algorithm') ?? '',
      });
    }
    const credential = fields.get('x-amz-credential') ?? '';
    const [accessKeyId = '', date = '', region = '', service = '', terminator] =
      credential.split('/');
    if (!/^\d{8}$/.test(date) || service !== 's3' || terminator !== 'aws4_request') {
      throw new S3Error('InvalidArgument', `Invalid credential: ${credential}`, 400, {
        ArgumentName: 'x-amz-credential',
        ArgumentValue: credential,
      });
    }
    if (region !== this.template.place.region) {
      throw new S3Error(
        'AuthorizationQueryParametersError',
        `Error parsing the X-Amz-Credential parameter; the region '${region}' is wrong; expecting '${this.template.place.region}'`,
        400,
        { Region: this.template.place.region },
      );
    }
    let caller: Caller;
    try {
      caller = this.callerOf(accessKeyId);
    } catch {
      throw new S3Error(
        'InvalidAccessKeyId',
        'The AWS Access Key Id you provided does not exist in our records.',
        403,
        { AWSAccessKeyId: accessKeyId },
      );
    }
    const token = fields.get('x-amz-security-token');
    if (token !== undefined && token !== harnessSecret) {
      throw new S3Error(
        'InvalidToken',
        'The provided token is malformed or otherwise invalid.',
        400,
      );
    }
    const signingKey = [date, region, service, 'aws4_request'].reduce<Buffer>(
      (key, part) => createHmac('sha256', key).update(part).digest(),
      Buffer.from(`AWS4${harnessSecret}`),
    );
    const expected = createHmac('sha256', signingKey)
      .update(fields.get('policy') ?? '')
      .digest();
    const given = Buffer.from(fields.get('x-amz-signature') ?? '', 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new S3Error(
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
        403,
        { AWSAccessKeyId: accessKeyId, StringToSign: fields.get('policy') ?? '' },
      );
    }
    return caller;
  }

  // ---- shared -------------------------------------------------------------------------------

  private route(request: AwsRequest): { bucket: Bucket; key: string } {
    const path = request.url.pathname.slice(1);
    const slash = path.indexOf('/');
    const name = decodeURIComponent(slash < 0 ? path : path.slice(0, slash));
    const key = slash < 0 ? '' : decodeURIComponent(path.slice(slash + 1));
    const bucket = this.buckets.get(name);
    if (!bucket) {
      throw new S3Error('NoSuchBucket', 'The specified bucket does not exist', 404, {
        BucketName: name,
      });
    }
    return { bucket, key };
  }

  private bucketNamed(reference: string): Bucket {
    const bucket =
      this.buckets.get(reference) ??
      [...this.buckets.values()].find((candidate) => candidate.logicalId === reference);
    if (!bucket) throw new Error(`The template has no bucket ${reference}`);
    return bucket;
  }

  /** The bucket policy's explicit denies, then the caller's identity policies. */
  private authorize(
    caller: Caller,
    bucket: Bucket,
    action: string,
    resource: string,
    context: Record<string, string> = {},
  ): void {
    const request = {
      action,
      resource,
      // Deployed, every client reaches S3 over TLS.
      context: { 'aws:SecureTransport': 'true', ...context },
    };
    const denial = evaluate(this.bucketPolicyFor(bucket, caller), request);
    if (!denial.allowed && denial.reason === 'explicitDeny') {
      const role = caller.roleArn.split(':role/')[1] ?? 'anonymous';
      const { partition, account } = this.template.place;
      throw new AccessDenied(
        `User: arn:${partition}:sts::${account}:assumed-role/${role}/harness is not authorized to perform: ${action} on resource: "${resource}" with an explicit deny in a resource-based policy`,
        request,
      );
    }
    caller.authorize(request);
  }

  /** The bucket policy's Deny statements whose principal covers the caller. */
  private bucketPolicyFor(bucket: Bucket, caller: Caller): PolicyStatement[] {
    const { account, partition } = this.template.place;
    return this.template
      .ofType('AWS::S3::BucketPolicy')
      .map(({ resource }) => this.template.resolve(resource.Properties) as Json)
      .filter((properties) => properties.Bucket === bucket.name)
      .flatMap((properties) => {
        const document = properties.PolicyDocument as {
          Statement: PolicyStatement | (PolicyStatement & { Principal?: unknown })[];
        };
        return [document.Statement].flat() as (PolicyStatement & { Principal?: unknown })[];
      })
      .filter((statement) => {
        if (statement.Effect !== 'Deny') return false;
        const principal = statement.Principal as { AWS?: string | string[] } | string | undefined;
        if (principal === '*') return true;
        const named = [typeof principal === 'object' ? principal.AWS : undefined].flat();
        return named.some(
          (arn) =>
            arn === '*' ||
            arn === account ||
            arn === `arn:${partition}:iam::${account}:root` ||
            (caller.roleArn !== '' && arn === caller.roleArn),
        );
      });
  }

  private keepNoncurrent(bucket: Bucket, key: string, object: StoredObject): void {
    bucket.noncurrent.set(key, [...(bucket.noncurrent.get(key) ?? []), object]);
  }

  /** Every key with a version stored, current or noncurrent (what a versioned bucket keeps). */
  storedVersions(bucketName: string): { key: string; current: boolean }[] {
    const bucket = [...this.buckets.values()].find(
      (candidate) => candidate.name === bucketName || candidate.logicalId === bucketName,
    );
    if (!bucket) return [];
    return [
      ...[...bucket.objects.keys()].map((key) => ({ key, current: true })),
      ...[...bucket.noncurrent].flatMap(([key, kept]) => kept.map(() => ({ key, current: false }))),
    ];
  }

  private store(
    bucket: Bucket,
    key: string,
    object: Pick<StoredObject, 'body' | 'contentType' | 'metadata'>,
  ): StoredObject {
    const versions = (bucket.writes.get(key) ?? 0) + 1;
    bucket.writes.set(key, versions);
    const previous = bucket.objects.get(key);
    if (bucket.versioned && previous) this.keepNoncurrent(bucket, key, previous);
    const stored: StoredObject = {
      ...object,
      versions,
      ...(bucket.versioned ? { versionId: versionIdOf(bucket, key, versions) } : {}),
      eTag: `"${createHash('md5').update(object.body).digest('hex')}"`,
      lastModified: new Date(),
    };
    bucket.objects.set(key, stored);
    return stored;
  }

  // ---- notifications ------------------------------------------------------------------------

  /** S3's event notifications to Lambda, as the bucket's notification configuration says. */
  private notify(
    bucket: Bucket,
    key: string,
    object: StoredObject,
    eventName: 'ObjectCreated:Put' | 'ObjectCreated:Post',
    caller: Caller,
  ): void {
    const encodedKey = eventKey(key);
    for (const { logicalId, resource } of this.template.ofType('Custom::S3BucketNotifications')) {
      const properties = this.template.resolve(resource.Properties) as Json;
      if (properties.BucketName !== bucket.name) continue;
      const configuration = (properties.NotificationConfiguration ?? {}) as {
        LambdaFunctionConfigurations?: {
          Id?: string;
          Events?: string[];
          LambdaFunctionArn?: string;
          Filter?: { Key?: { FilterRules?: { Name: string; Value: string }[] } };
        }[];
      };
      for (const [index, target] of (configuration.LambdaFunctionConfigurations ?? []).entries()) {
        const events = target.Events ?? [];
        if (!events.some((pattern) => eventMatches(pattern, `s3:${eventName}`))) continue;
        const rules = target.Filter?.Key?.FilterRules ?? [];
        const filtered = rules.every(({ Name, Value }) => {
          const name = Name.toLowerCase();
          if (name === 'prefix') return encodedKey.startsWith(Value);
          if (name === 'suffix') return encodedKey.endsWith(Value);
          return false;
        });
        if (!filtered) continue;
        const functionArn = String(target.LambdaFunctionArn ?? '');
        const now = new Date();
        const event = {
          Records: [
            {
              eventVersion: '2.1',
              eventSource: 'aws:s3',
              awsRegion: this.template.place.region,
              eventTime: now.toISOString(),
              eventName,
              userIdentity: { principalId: `AWS:${caller.roleLogicalId}:harness` },
              requestParameters: { sourceIPAddress: '127.0.0.1' },
              responseElements: {
                'x-amz-request-id': randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase(),
                'x-amz-id-2': 'harness',
              },
              s3: {
                s3SchemaVersion: '1.0',
                configurationId: target.Id ?? `${logicalId}-${index}`,
                bucket: {
                  name: bucket.name,
                  ownerIdentity: { principalId: this.template.place.account },
                  arn: bucket.arn,
                },
                object: {
                  key: encodedKey,
                  size: object.body.length,
                  eTag: object.eTag.replace(/"/g, ''),
                  ...(object.versionId ? { versionId: object.versionId } : {}),
                  sequencer: now.getTime().toString(16).toUpperCase().padStart(18, '0'),
                },
              },
            },
          ],
        };
        this.track(this.deliver(bucket, functionArn, event));
      }
    }
  }

  private track(work: Promise<unknown>) {
    this.busy.add(work);
    void work.finally(() => this.busy.delete(work));
  }

  /** Lambda's asynchronous invocation: the event, then its retries, then given up. */
  private async deliver(bucket: Bucket, functionArn: string, event: unknown): Promise<void> {
    // The event is queued: the object's writer gets its answer first.
    await Promise.resolve();
    if (!this.s3MayInvoke(bucket, functionArn)) {
      this.failed.push({
        functionArn,
        event,
        error: `No AWS::Lambda::Permission lets s3.amazonaws.com invoke ${functionArn} for ${bucket.arn}`,
        attempts: 0,
      });
      return;
    }
    const attempts = 1 + this.retriesOf(functionArn);
    let lastError = '';
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      try {
        await this.runtime.invoke(functionArn, event);
        return;
      } catch (error) {
        lastError = `${(error as Error).name}: ${(error as Error).message}`;
      }
    }
    this.failed.push({ functionArn, event, error: lastError, attempts });
  }

  /** A resource policy statement (AWS::Lambda::Permission) for S3 and this bucket. */
  private s3MayInvoke(bucket: Bucket, functionArn: string): boolean {
    let arn: string;
    try {
      arn = this.runtime.find(functionArn).arn;
    } catch {
      return false;
    }
    return this.template.ofType('AWS::Lambda::Permission').some(({ resource }) => {
      const properties = this.template.resolve(resource.Properties) as Json;
      if (properties.Principal !== 's3.amazonaws.com') return false;
      if (!['lambda:InvokeFunction', 'lambda:*'].includes(String(properties.Action))) return false;
      let target: string;
      try {
        target = this.runtime.find(String(properties.FunctionName)).arn;
      } catch {
        return false;
      }
      if (target !== arn) return false;
      if (
        properties.SourceAccount !== undefined &&
        properties.SourceAccount !== this.template.place.account
      ) {
        return false;
      }
      return (
        properties.SourceArn === undefined ||
        wildcardMatches(String(properties.SourceArn), bucket.arn)
      );
    });
  }

  /** MaximumRetryAttempts of the function's AWS::Lambda::EventInvokeConfig (Lambda's default 2). */
  private retriesOf(functionArn: string): number {
    const arn = this.runtime.find(functionArn).arn;
    for (const { resource } of this.template.ofType('AWS::Lambda::EventInvokeConfig')) {
      const properties = this.template.resolve(resource.Properties) as Json;
      let target: string | undefined;
      try {
        target = this.runtime.find(String(properties.FunctionName)).arn;
      } catch {
        target = undefined;
      }
      if (target === arn && properties.MaximumRetryAttempts !== undefined) {
        return Number(properties.MaximumRetryAttempts);
      }
    }
    return 2;
  }
}

// ---- helpers --------------------------------------------------------------------------------

function xml(status: number, body: string, headers: Record<string, string> = {}): AwsResponse {
  return {
    status,
    headers: { 'content-type': 'application/xml', ...headers },
    body: `${xmlDeclaration}${body}`,
  };
}

const objectArn = (bucket: Bucket, key: string) => `${bucket.arn}/${key}`;

function objectHeaders(bucket: Bucket, object: StoredObject): Record<string, string> {
  return {
    etag: object.eTag,
    ...(object.versionId ? { 'x-amz-version-id': object.versionId } : {}),
    ...(bucket.encryption ? { 'x-amz-server-side-encryption': bucket.encryption } : {}),
  };
}

/** An opaque, stable version id for the n-th write of a key (-1: a delete marker). */
function versionIdOf(bucket: Bucket, key: string, version: number): string {
  const seed = `${bucket.name}/${key}/${version === -1 ? randomUUID() : version}`;
  return createHash('sha256').update(seed).digest('base64url').slice(0, 32);
}

/** S3 lists keys in UTF-8 binary order. */
function byUtf8(left: string, right: string): number {
  return Buffer.compare(Buffer.from(left), Buffer.from(right));
}

const encodeKey = (key: string) => key.split('/').map(encodeURIComponent).join('/');

/** The key as S3 writes it in an event: form-URL-encoded (a space is '+'), '/' kept. */
function eventKey(key: string): string {
  return key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment)
        .replace(/[!'()]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
        .replace(/%20/g, '+'),
    )
    .join('/');
}

/** `s3:ObjectCreated:*` matches `s3:ObjectCreated:Post`. */
function eventMatches(pattern: string, eventName: string): boolean {
  return pattern.endsWith('*') ? eventName.startsWith(pattern.slice(0, -1)) : pattern === eventName;
}

function wildcardMatches(pattern: string, value: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`).test(value);
}

/**
 * A PutObject body as sent: aws-chunked (the SDK streams with a trailing checksum) is
 * decoded, and every checksum given (header or trailer) is checked as S3 checks it.
 */
function payloadOf(request: AwsRequest): Buffer {
  const sha256Header = String(request.headers['x-amz-content-sha256'] ?? '');
  const chunked =
    sha256Header.startsWith('STREAMING-') ||
    String(request.headers['content-encoding'] ?? '').includes('aws-chunked');
  const checksums: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (name.startsWith('x-amz-checksum-') && name !== 'x-amz-checksum-mode') {
      checksums[name] = String(value);
    }
  }
  let body = request.body;
  if (chunked) {
    const decoded = decodeChunked(request.body);
    body = decoded.body;
    Object.assign(checksums, decoded.trailers);
    const declared = request.headers['x-amz-decoded-content-length'];
    if (declared !== undefined && Number(declared) !== body.length) {
      throw new S3Error(
        'IncompleteBody',
        'You did not provide the number of bytes specified by the Content-Length HTTP header',
        400,
      );
    }
  } else if (/^[0-9a-f]{64}$/.test(sha256Header)) {
    if (createHash('sha256').update(body).digest('hex') !== sha256Header) {
      throw new S3Error(
        'XAmzContentSHA256Mismatch',
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
        400,
      );
    }
  }
  const md5 = request.headers['content-md5'];
  if (md5 !== undefined && createHash('md5').update(body).digest('base64') !== md5) {
    throw new S3Error(
      'BadDigest',
      'The Content-MD5 you specified did not match what we received.',
      400,
    );
  }
  for (const [name, given] of Object.entries(checksums)) {
    const algorithm = name.slice('x-amz-checksum-'.length);
    const computed = checksumOf(algorithm, body);
    if (computed !== undefined && computed !== given) {
      throw new S3Error(
        'BadDigest',
        `The ${algorithm.toUpperCase()} you specified did not match the calculated checksum.`,
        400,
      );
    }
  }
  return body;
}

function checksumOf(algorithm: string, body: Buffer): string | undefined {
  switch (algorithm) {
    case 'crc32': {
      const value = Buffer.alloc(4);
      value.writeUInt32BE(crc32(body));
      return value.toString('base64');
    }
    case 'sha1':
    case 'sha256':
      return createHash(algorithm).update(body).digest('base64');
    default:
      // CRC32C and CRC64NVME: not checked.
      return undefined;
  }
}

/** `<hex size>[;chunk-signature=…]\r\n<data>\r\n` … `0\r\n<trailers>\r\n\r\n`. */
function decodeChunked(raw: Buffer): { body: Buffer; trailers: Record<string, string> } {
  const parts: Buffer[] = [];
  const trailers: Record<string, string> = {};
  const malformed = () =>
    new S3Error('IncompleteBody', 'The aws-chunked body of the request is malformed.', 400);
  let position = 0;
  for (;;) {
    const end = raw.indexOf('\r\n', position);
    if (end < 0) throw malformed();
    const size = Number.parseInt(
      raw.subarray(position, end).toString('latin1').split(';')[0] ?? '',
      16,
    );
    if (Number.isNaN(size)) throw malformed();
    position = end + 2;
    if (size === 0) break;
    if (position + size > raw.length) throw malformed();
    parts.push(raw.subarray(position, position + size));
    position += size + 2;
  }
  for (const line of raw.subarray(position).toString('latin1').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0)
      trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { body: Buffer.concat(parts), trailers };
}

interface PostPolicy {
  expiration: string;
  conditions: unknown[];
}

function policyOf(encoded: string): PostPolicy {
  let policy: Partial<PostPolicy>;
  try {
    policy = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as Partial<PostPolicy>;
  } catch {
    throw new S3Error('InvalidPolicyDocument', 'Invalid Policy: Invalid JSON.', 400);
  }
  if (typeof policy.expiration !== 'string' || Number.isNaN(Date.parse(policy.expiration))) {
    throw new S3Error('InvalidPolicyDocument', 'Invalid Policy: Policy missing expiration.', 400);
  }
  if (!Array.isArray(policy.conditions)) {
    throw new S3Error('InvalidPolicyDocument', 'Invalid Policy: Policy missing conditions.', 400);
  }
  return policy as PostPolicy;
}

/** Fields the policy need not mention. */
const exemptFields = (name: string) =>
  ['x-amz-signature', 'file', 'policy'].includes(name) || name.startsWith('x-ignore-');

/**
 * Every condition must hold, every field must be covered by one, and the file's size must
 * lie in the content-length-range, as S3 checks a POST policy.
 */
function checkConditions(
  conditions: unknown[],
  fields: Map<string, string>,
  bucket: string,
  size: number,
): void {
  const covered = new Set<string>();
  const failed = (condition: unknown) =>
    policyRefusal(
      `Policy Condition failed: ${JSON.stringify(condition).replace(/,/g, ', ').replace(/:/g, ': ')}`,
    );
  // A bucket condition is about the bucket the form is posted to.
  const fieldValue = (name: string) =>
    name.toLowerCase() === 'bucket' ? bucket : (fields.get(name.toLowerCase()) ?? '');
  let range: [number, number] | undefined;
  for (const condition of conditions) {
    if (Array.isArray(condition)) {
      const [operator, target, operand] = condition as [unknown, unknown, unknown];
      const op = String(operator).toLowerCase();
      if (op === 'content-length-range') {
        const [min, max] = [Number(target), Number(operand)];
        if (!Number.isInteger(min) || !Number.isInteger(max)) {
          throw new S3Error(
            'InvalidPolicyDocument',
            'Invalid Policy: Invalid content-length-range condition.',
            400,
          );
        }
        range = [min, max];
        continue;
      }
      if ((op !== 'eq' && op !== 'starts-with') || typeof target !== 'string') {
        throw new S3Error(
          'InvalidPolicyDocument',
          `Invalid Policy: Invalid 'condition' ${JSON.stringify(condition)}.`,
          400,
        );
      }
      const name = target.replace(/^\$/, '').toLowerCase();
      covered.add(name);
      const value = fieldValue(name);
      const expected = String(operand ?? '');
      const holds =
        op === 'eq'
          ? value === expected
          : name === 'content-type'
            ? value.split(',').every((part) => part.trim().startsWith(expected))
            : value.startsWith(expected);
      if (!holds) throw failed(condition);
    } else if (condition && typeof condition === 'object') {
      for (const [name, expected] of Object.entries(condition as Json)) {
        covered.add(name.toLowerCase());
        if (fieldValue(name) !== String(expected)) throw failed(condition);
      }
    } else {
      throw new S3Error(
        'InvalidPolicyDocument',
        `Invalid Policy: Invalid 'condition' ${JSON.stringify(condition)}.`,
        400,
      );
    }
  }
  const extra = [...fields.keys()].filter((name) => !exemptFields(name) && !covered.has(name));
  if (extra.length) throw policyRefusal(`Extra input fields: ${extra.join(', ')}`);
  if (range && size > range[1]) {
    throw new S3Error(
      'EntityTooLarge',
      'Your proposed upload exceeds the maximum allowed size',
      400,
      {
        ProposedSize: String(size),
        MaxSizeAllowed: String(range[1]),
      },
    );
  }
  if (range && size < range[0]) {
    throw new S3Error(
      'EntityTooSmall',
      'Your proposed upload is smaller than the minimum allowed size',
      400,
      { ProposedSize: String(size), MinSizeAllowed: String(range[0]) },
    );
  }
}
