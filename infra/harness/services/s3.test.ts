import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { S3BlobStore } from '@qingling/shared/adapters/aws/s3-blob-store.ts';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AwsEndpoint } from '../aws-endpoint.ts';
import type { LambdaRuntime } from '../lambda-runtime.ts';
import { DeployedTemplate, type TemplateJson } from '../template.ts';
import { S3Service } from './s3.ts';

const bucketArn = { 'Fn::GetAtt': ['Evidence', 'Arn'] };
const objects = (prefix: string) => ({ 'Fn::Join': ['', [bucketArn, `/${prefix}*`]] });
const role = { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } };
const policy = (roleId: string, statements: unknown[]) => ({
  Type: 'AWS::IAM::Policy',
  Properties: {
    PolicyName: `${roleId}Policy`,
    Roles: [{ Ref: roleId }],
    PolicyDocument: { Version: '2012-10-17', Statement: statements },
  },
});
const lambda = (roleId: string) => ({
  Type: 'AWS::Lambda::Function',
  Properties: {
    Role: { 'Fn::GetAtt': [roleId, 'Arn'] },
    Runtime: 'nodejs24.x',
    Handler: 'index.handler',
  },
});
const notification = (functionId: string, rules: { Name: string; Value: string }[]) => ({
  Events: ['s3:ObjectCreated:*'],
  Filter: { Key: { FilterRules: rules } },
  LambdaFunctionArn: { 'Fn::GetAtt': [functionId, 'Arn'] },
});

/** One bucket as EvidenceBucket makes it, two roles, and notifications to two functions. */
const json: TemplateJson = {
  Resources: {
    Evidence: {
      Type: 'AWS::S3::Bucket',
      Properties: {
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
          ],
        },
      },
    },
    EvidencePolicy: {
      Type: 'AWS::S3::BucketPolicy',
      Properties: {
        Bucket: { Ref: 'Evidence' },
        PolicyDocument: {
          Statement: [
            {
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: 's3:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              Resource: [bucketArn, objects('')],
            },
          ],
        },
      },
    },
    UploaderRole: role,
    UploaderPolicy: policy('UploaderRole', [
      { Effect: 'Allow', Action: 's3:PutObject', Resource: objects('incoming/') },
      { Effect: 'Allow', Action: 's3:GetObject', Resource: objects('tips/') },
    ]),
    ProcessorRole: role,
    ProcessorPolicy: policy('ProcessorRole', [
      {
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:DeleteObject'],
        Resource: objects('incoming/'),
      },
      { Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject'], Resource: objects('tips/') },
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketArn },
    ]),
    Processor: lambda('ProcessorRole'),
    Unpermitted: lambda('ProcessorRole'),
    EvidenceNotifications: {
      Type: 'Custom::S3BucketNotifications',
      Properties: {
        ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:cdk-handler',
        BucketName: { Ref: 'Evidence' },
        NotificationConfiguration: {
          LambdaFunctionConfigurations: [
            notification('Processor', [{ Name: 'prefix', Value: 'incoming/' }]),
            notification('Unpermitted', [
              { Name: 'prefix', Value: 'incoming/' },
              { Name: 'suffix', Value: '.unpermitted' },
            ]),
          ],
        },
      },
    },
    AllowS3ToInvokeProcessor: {
      Type: 'AWS::Lambda::Permission',
      Properties: {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': ['Processor', 'Arn'] },
        Principal: 's3.amazonaws.com',
        SourceAccount: { Ref: 'AWS::AccountId' },
        SourceArn: bucketArn,
      },
    },
  },
};

const template = new DeployedTemplate(json, '/nonexistent');
const bucket = template.ref('Evidence');
const processorArn = template.getAtt('Processor', 'Arn');

/** The runtime's find and invoke, enough for notifications; the processor does nothing. */
const invoke = vi.fn(async (_arn: string, _event: unknown): Promise<unknown> => null);
const functions = ['Processor', 'Unpermitted'].map((logicalId) => ({
  logicalId,
  name: template.ref(logicalId),
  arn: template.getAtt(logicalId, 'Arn'),
  roleLogicalId: 'ProcessorRole',
}));
const runtime = {
  find: (reference: string) => {
    const found = functions.find((fn) => [fn.logicalId, fn.name, fn.arn].includes(reference));
    if (!found) throw new Error(`Function not found: ${reference}`);
    return found;
  },
  invoke,
} as unknown as LambdaRuntime;

const endpoint = new AwsEndpoint(template);
const s3 = new S3Service(template, runtime, (roleId) => endpoint.authority.caller(roleId));

const clientFor = (
  roleLogicalId: string,
  options: Partial<ConstructorParameters<typeof S3Client>[0]> = {},
) =>
  new S3Client({
    endpoint: endpoint.url,
    region: 'us-east-1',
    credentials: { accessKeyId: roleLogicalId, secretAccessKey: 'harness' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    ...options,
  });

let uploader: S3Client;
let processor: S3Client;

beforeAll(async () => {
  await endpoint.start();
  endpoint.register('s3', s3.registration());
  endpoint.serveUnsigned(s3.uploadForm());
  uploader = clientFor('UploaderRole');
  processor = clientFor('ProcessorRole');
});

afterAll(async () => {
  await endpoint.stop();
});

beforeEach(() => {
  invoke.mockClear();
});

const photo = Buffer.from('not really a jpeg');

/** A form as S3BlobStore makes it: size range, exact key, exact type. */
async function formFor(
  key: string,
  options: { client?: S3Client; maxBytes?: number; expires?: number } = {},
) {
  return createPresignedPost(options.client ?? uploader, {
    Bucket: bucket,
    Key: key,
    Conditions: [
      ['content-length-range', 1, options.maxBytes ?? 64],
      ['eq', '$key', key],
      ['eq', '$Content-Type', 'image/jpeg'],
    ],
    Fields: { 'Content-Type': 'image/jpeg' },
    Expires: options.expires ?? 600,
  });
}

/** What the site posts: every field as given, a Content-Type if none, then the file, last. */
async function post(
  form: { url: string; fields: Record<string, string> },
  file: Buffer = photo,
  name = 'photo.jpg',
) {
  const body = new FormData();
  for (const [field, value] of Object.entries(form.fields)) body.append(field, value);
  if (!('Content-Type' in form.fields)) body.append('Content-Type', 'image/jpeg');
  body.append('file', new Blob([new Uint8Array(file)], { type: 'image/jpeg' }), name);
  const response = await fetch(form.url, { method: 'POST', body });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

const codeOf = (text: string) => /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
const messageOf = (text: string) =>
  (/<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? '').replace(/&#(\d+);/g, (_entity, code) =>
    String.fromCharCode(Number(code)),
  );

async function failureOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (caught: unknown) => caught as S3ServiceException,
  );
  expect(error).toBeInstanceOf(S3ServiceException);
  return { name: error.name, status: error.$metadata.httpStatusCode, message: error.message };
}

describe('S3Service: upload forms (presigned POST)', () => {
  it('posts to the bucket path-style on the endpoint', async () => {
    const form = await formFor('incoming/style');
    expect(form.url).toBe(`${endpoint.url}/${bucket}`);
  });

  it('stores an upload the form allows, with the type from the form, and tells the processor', async () => {
    const form = await formFor('incoming/tips/t1/p 1');
    const answer = await post(form);
    expect(answer.status).toBe(204);
    expect(answer.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
    expect(s3.objects(bucket)).toContain('incoming/tips/t1/p 1');
    const stored = s3.object('Evidence', 'incoming/tips/t1/p 1');
    expect(stored?.body.equals(photo)).toBe(true);
    expect(stored?.contentType).toBe('image/jpeg');

    await s3.settled();
    expect(invoke).toHaveBeenCalledTimes(1);
    const [arn, event] = invoke.mock.calls[0] ?? [];
    expect(arn).toBe(processorArn);
    const [record] = (event as { Records: Record<string, unknown>[] }).Records;
    expect(record).toMatchObject({
      eventSource: 'aws:s3',
      eventName: 'ObjectCreated:Post',
      awsRegion: 'us-east-1',
      s3: {
        bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
        object: {
          key: 'incoming/tips/t1/p+1',
          size: photo.length,
          eTag: answer.headers.get('etag')?.replace(/"/g, ''),
          versionId: stored?.versionId,
        },
      },
    });
  });

  it('answers 201 with a PostResponse when the form asks for it', async () => {
    const form = await createPresignedPost(uploader, {
      Bucket: bucket,
      Key: 'incoming/created',
      Fields: { success_action_status: '201', 'Content-Type': 'image/jpeg' },
    });
    const answer = await post(form);
    expect(answer.status).toBe(201);
    expect(answer.text).toContain('<Key>incoming/created</Key>');
  });

  it('refuses a file larger than the content-length-range', async () => {
    const answer = await post(await formFor('incoming/large', { maxBytes: 8 }));
    expect(answer.status).toBe(400);
    expect(codeOf(answer.text)).toBe('EntityTooLarge');
    expect(answer.text).toContain('<MaxSizeAllowed>8</MaxSizeAllowed>');
    expect(s3.objects(bucket)).not.toContain('incoming/large');
  });

  it('refuses an empty file below the range', async () => {
    const answer = await post(await formFor('incoming/empty'), Buffer.alloc(0));
    expect(answer.status).toBe(400);
    expect(codeOf(answer.text)).toBe('EntityTooSmall');
  });

  it('refuses a key other than the one the policy pins', async () => {
    const form = await formFor('incoming/mine');
    const answer = await post({ ...form, fields: { ...form.fields, key: 'incoming/theirs' } });
    expect(answer.status).toBe(403);
    expect(codeOf(answer.text)).toBe('AccessDenied');
    expect(answer.text).toContain('Policy Condition failed');
    expect(s3.objects(bucket)).not.toContain('incoming/theirs');
  });

  it('refuses another content type than the one the policy pins', async () => {
    const form = await formFor('incoming/typed');
    const answer = await post({
      ...form,
      fields: { ...form.fields, 'Content-Type': 'text/html' },
    });
    expect(answer.status).toBe(403);
    expect(messageOf(answer.text)).toBe(
      'Invalid according to Policy: Policy Condition failed: ["eq", "$Content-Type", "image/jpeg"]',
    );
  });

  it('refuses a field the policy does not cover', async () => {
    const form = await formFor('incoming/extra');
    const answer = await post({
      ...form,
      fields: { ...form.fields, 'x-amz-meta-source': 'somewhere' },
    });
    expect(answer.status).toBe(403);
    expect(answer.text).toContain('Extra input fields: x-amz-meta-source');
  });

  it('refuses an expired form', async () => {
    const late = clientFor('UploaderRole', { systemClockOffset: -2 * 3600_000 });
    const answer = await post(await formFor('incoming/expired', { client: late, expires: 600 }));
    expect(answer.status).toBe(403);
    expect(codeOf(answer.text)).toBe('AccessDenied');
    expect(answer.text).toContain('Policy expired');
  });

  it('refuses a tampered policy: the signature no longer matches', async () => {
    const form = await formFor('incoming/tampered', { maxBytes: 8 });
    const decoded = JSON.parse(Buffer.from(form.fields.Policy ?? '', 'base64').toString('utf8'));
    decoded.conditions[0] = ['content-length-range', 1, 1_000_000];
    const Policy = Buffer.from(JSON.stringify(decoded)).toString('base64');
    const answer = await post({ ...form, fields: { ...form.fields, Policy } });
    expect(answer.status).toBe(403);
    expect(codeOf(answer.text)).toBe('SignatureDoesNotMatch');
    expect(s3.objects(bucket)).not.toContain('incoming/tampered');
  });

  it('refuses a form signed with another secret than the role has', async () => {
    const impostor = new S3Client({
      endpoint: endpoint.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'UploaderRole', secretAccessKey: 'guessed' },
    });
    const answer = await post(await formFor('incoming/impostor', { client: impostor }));
    expect(answer.status).toBe(403);
    expect(codeOf(answer.text)).toBe('SignatureDoesNotMatch');
  });

  it('refuses a form whose signer is no role of the template', async () => {
    const answer = await post(await formFor('incoming/nobody', { client: clientFor('Nobody') }));
    expect(answer.status).toBe(403);
    expect(codeOf(answer.text)).toBe('InvalidAccessKeyId');
  });

  it('uploads with the signing role’s permissions: a valid form for tips/ is denied', async () => {
    const answer = await post(await formFor('tips/forged'));
    expect(answer.status).toBe(403);
    expect(codeOf(answer.text)).toBe('AccessDenied');
    expect(answer.text).toContain('s3:PutObject');
    expect(endpoint.authority.denials.at(-1)).toMatchObject({
      role: 'UploaderRole',
      action: 's3:PutObject',
      resource: `arn:aws:s3:::${bucket}/tips/forged`,
    });
    expect(s3.objects(bucket)).not.toContain('tips/forged');
  });

  it('takes the forms S3BlobStore makes, and its get finds what the processor may read', async () => {
    const store = new S3BlobStore({ bucket, client: uploader });
    const form = await store.createUploadForm({
      key: 'incoming/tips/t2/p1',
      contentTypes: ['image/jpeg', 'image/png'],
      maxBytes: 1024,
      expiresInSeconds: 300,
    });
    expect((await post(form)).status).toBe(204);
    const stored = await new S3BlobStore({ bucket, client: processor }).get('incoming/tips/t2/p1');
    expect(Buffer.from(stored?.bytes ?? []).equals(photo)).toBe(true);
    expect(stored?.contentType).toBe('image/jpeg');
  });

  it('answers an anonymous request with AccessDenied', async () => {
    const response = await fetch(`${endpoint.url}/${bucket}/incoming/tips/t1/p%201`);
    expect(response.status).toBe(403);
    expect(codeOf(await response.text())).toBe('AccessDenied');
  });
});

describe('S3Service: SDK calls held to the role', () => {
  it('round-trips PutObject, HeadObject, GetObject, ListObjectsV2 and DeleteObject', async () => {
    const put = await processor.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'tips/t1/p1.jpg',
        Body: photo,
        ContentType: 'image/jpeg',
        Metadata: { origin: 'harness' },
      }),
    );
    expect(put.ETag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(put.VersionId).toBeTruthy();
    expect(put.ServerSideEncryption).toBe('AES256');

    const head = await processor.send(
      new HeadObjectCommand({ Bucket: bucket, Key: 'tips/t1/p1.jpg' }),
    );
    expect(head).toMatchObject({ ContentLength: photo.length, ContentType: 'image/jpeg' });

    const got = await processor.send(
      new GetObjectCommand({ Bucket: bucket, Key: 'tips/t1/p1.jpg' }),
    );
    expect(Buffer.from((await got.Body?.transformToByteArray()) ?? []).equals(photo)).toBe(true);
    expect(got.Metadata).toEqual({ origin: 'harness' });

    const listed = await processor.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: 'tips/' }),
    );
    expect(listed.Contents?.map((object) => object.Key)).toContain('tips/t1/p1.jpg');

    // Nothing under tips/ is announced.
    await s3.settled();
    expect(invoke).not.toHaveBeenCalled();

    // The processor deletes uploads, never the cleaned copies.
    const kept = await failureOf(
      processor.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'tips/t1/p1.jpg' })),
    );
    expect(kept).toMatchObject({ name: 'AccessDenied', status: 403 });
    await post(await formFor('incoming/done'));
    await processor.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'incoming/done' }));
    expect(s3.objects(bucket)).not.toContain('incoming/done');
    expect(s3.objects(bucket)).toContain('tips/t1/p1.jpg');
  });

  it('decodes a streamed (aws-chunked) body with its trailing checksum', async () => {
    const streaming = clientFor('ProcessorRole', { requestChecksumCalculation: 'WHEN_SUPPORTED' });
    await streaming.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'tips/t1/streamed.jpg',
        Body: Readable.from([photo.subarray(0, 5), photo.subarray(5)]),
        ContentLength: photo.length,
        ContentType: 'image/jpeg',
      }),
    );
    expect(s3.object(bucket, 'tips/t1/streamed.jpg')?.body.equals(photo)).toBe(true);
  });

  it('lets the uploader read tips/ but not incoming/', async () => {
    await processor.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'tips/x',
        Body: 'clean',
        ContentType: 'text/plain',
      }),
    );
    const got = await uploader.send(new GetObjectCommand({ Bucket: bucket, Key: 'tips/x' }));
    expect(await got.Body?.transformToString()).toBe('clean');

    await post(await formFor('incoming/x'));
    const denied = await failureOf(
      uploader.send(new GetObjectCommand({ Bucket: bucket, Key: 'incoming/x' })),
    );
    expect(denied).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(denied.message).toContain('s3:GetObject');
  });

  it('answers a missing key NoSuchKey only to a role that may list the bucket', async () => {
    const hidden = await failureOf(
      uploader.send(new GetObjectCommand({ Bucket: bucket, Key: 'tips/missing' })),
    );
    expect(hidden).toMatchObject({ name: 'AccessDenied', status: 403 });

    const missing = processor.send(new GetObjectCommand({ Bucket: bucket, Key: 'tips/missing' }));
    await expect(missing).rejects.toBeInstanceOf(NoSuchKey);
    expect(await new S3BlobStore({ bucket, client: processor }).get('tips/missing')).toBeNull();
  });

  it('pages a listing, with common prefixes for a delimiter', async () => {
    for (const key of ['tips/list/a/1', 'tips/list/a/2', 'tips/list/b', 'tips/list/c/1']) {
      await processor.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
    }
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await processor.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: 'tips/list/',
          Delimiter: '/',
          MaxKeys: 1,
          ContinuationToken: token,
        }),
      );
      seen.push(
        ...(page.Contents ?? []).map((object) => object.Key ?? ''),
        ...(page.CommonPrefixes ?? []).map((common) => common.Prefix ?? ''),
      );
      token = page.NextContinuationToken;
    } while (token);
    expect(seen).toEqual(['tips/list/a/', 'tips/list/b', 'tips/list/c/']);
  });

  it('refuses a listing to a role without s3:ListBucket', async () => {
    const denied = await failureOf(
      uploader.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'incoming/' })),
    );
    expect(denied).toMatchObject({ name: 'AccessDenied', status: 403 });
  });

  it('announces an object put under incoming/ as ObjectCreated:Put', async () => {
    await uploader.send(new PutObjectCommand({ Bucket: bucket, Key: 'incoming/put', Body: photo }));
    await s3.settled();
    expect(invoke).toHaveBeenCalledTimes(1);
    expect(invoke.mock.calls[0]?.[1]).toMatchObject({
      Records: [{ eventName: 'ObjectCreated:Put', s3: { object: { key: 'incoming/put' } } }],
    });
  });
});

describe('S3Service: notifications', () => {
  it('does not invoke a function no Lambda permission lets S3 invoke', async () => {
    await post(await formFor('incoming/a.unpermitted'));
    await s3.settled();
    // The processor (prefix incoming/) is told; the unpermitted function is not.
    expect(invoke.mock.calls.map(([arn]) => arn)).toEqual([processorArn]);
    expect(s3.failed.at(-1)).toMatchObject({
      functionArn: template.getAtt('Unpermitted', 'Arn'),
      attempts: 0,
    });
    expect(s3.failed.at(-1)?.error).toContain('AWS::Lambda::Permission');
  });

  it('retries a failing function twice, as Lambda does for asynchronous events, then gives up', async () => {
    invoke.mockRejectedValue(new Error('sharp could not read the photo'));
    try {
      await post(await formFor('incoming/broken'));
      await s3.settled();
    } finally {
      invoke.mockImplementation(async () => null);
    }
    expect(invoke).toHaveBeenCalledTimes(3);
    expect(s3.failed.at(-1)).toMatchObject({ functionArn: processorArn, attempts: 3 });
    expect(s3.failed.at(-1)?.error).toContain('sharp could not read the photo');
  });
});
