import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { SignatureV4MultiRegion } from '@aws-sdk/signature-v4-multi-region';
import {
  type DownloadOptions,
  downloadDisposition,
  type ExportFiles,
  type StoredFile,
} from '../../ports/blob-store.ts';
import { createS3Client } from './s3-blob-store.ts';

/** S3's smallest part of a multipart upload but the last: what a streamed put buffers. */
export const multipartPartBytes = 5 * 1024 * 1024;

/**
 * Files made on the server for one download (the ledger export), in the evidence bucket
 * beside the photos (under exports/, which expire after a day). Apart from S3BlobStore so
 * that the functions that only sign upload forms do not bundle this code.
 */
export class S3ExportFiles implements ExportFiles {
  private readonly bucket: string;
  private readonly client: S3Client;

  constructor(options: { bucket: string; client?: S3Client }) {
    if (!options.bucket) throw new Error('S3ExportFiles needs a bucket name');
    this.bucket = options.bucket;
    this.client = options.client ?? createS3Client();
  }

  /**
   * A blob written as its chunks arrive: under one part's size it is one PutObject; past it
   * a multipart upload, one 5 MiB part at a time, so memory holds one part whatever the
   * size. A failure aborts the upload (and the bucket's lifecycle rule removes any that an
   * ended function left behind): no partial object is ever visible.
   */
  async putStream(
    key: string,
    contentType: string,
    chunks: AsyncIterable<Uint8Array>,
  ): Promise<StoredFile> {
    let pending: Uint8Array[] = [];
    let pendingBytes = 0;
    let total = 0;
    let uploadId: string | undefined;
    const parts: { ETag: string; PartNumber: number }[] = [];
    const take = () => {
      const body = Buffer.concat(pending);
      pending = [];
      pendingBytes = 0;
      return body;
    };
    const uploadPart = async (id: string) => {
      const PartNumber = parts.length + 1;
      const part = await this.client.send(
        new UploadPartCommand({
          Bucket: this.bucket,
          Key: key,
          UploadId: id,
          PartNumber,
          Body: take(),
        }),
      );
      parts.push({ ETag: part.ETag ?? '', PartNumber });
    };
    try {
      for await (const chunk of chunks) {
        pending.push(chunk);
        pendingBytes += chunk.byteLength;
        total += chunk.byteLength;
        if (pendingBytes < multipartPartBytes) continue;
        uploadId ??= (
          await this.client.send(
            new CreateMultipartUploadCommand({
              Bucket: this.bucket,
              Key: key,
              ContentType: contentType,
            }),
          )
        ).UploadId;
        if (!uploadId) throw new Error(`S3 gave no upload id for ${key}`);
        await uploadPart(uploadId);
      }
      if (!uploadId) {
        await this.client.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: key,
            Body: take(),
            ContentType: contentType,
          }),
        );
        return { bytes: total };
      }
      if (pendingBytes > 0) await uploadPart(uploadId);
      await this.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: key,
          UploadId: uploadId,
          MultipartUpload: { Parts: parts },
        }),
      );
      return { bytes: total };
    } catch (error) {
      if (uploadId) {
        await this.client
          .send(
            new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId }),
          )
          .catch(() => undefined);
      }
      throw error;
    }
  }

  /**
   * A presigned GET (what @aws-sdk/s3-request-presigner makes, which this repository does
   * not install): the GetObject request is built by the client's own middleware, then
   * signed into its query string instead of sent. S3 names the file for the browser.
   */
  async downloadUrl(key: string, options: DownloadOptions): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: key,
      ResponseContentDisposition: downloadDisposition(options.fileName),
    });
    const config = this.client.config;
    const signer = new SignatureV4MultiRegion({
      credentials: config.credentials,
      region: config.region,
      sha256: config.sha256,
      service: 's3',
      uriEscapePath: false,
      applyChecksum: false,
    });
    const stack = this.client.middlewareStack.clone();
    stack.addRelativeTo(
      (_next: unknown) => async (args: { request: unknown }) => {
        const request = args.request as PresignableRequest;
        for (const header of ['amz-sdk-invocation-id', 'amz-sdk-request', 'x-amz-user-agent']) {
          delete request.headers[header];
        }
        request.headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
        request.headers.host = `${request.hostname}${request.port ? `:${request.port}` : ''}`;
        const presigned = (await signer.presign(request as never, {
          expiresIn: options.expiresInSeconds,
          unsignableHeaders: new Set(['content-type']),
        })) as unknown as PresignableRequest;
        return { response: {}, output: { $metadata: {}, url: formatUrl(presigned) } };
      },
      {
        name: 'presignDownload',
        relation: 'before',
        toMiddleware: 'awsAuthMiddleware',
        override: true,
      },
    );
    const handler = command.resolveMiddleware(stack as never, config, {});
    const { output } = (await handler({ input: command.input } as never)) as unknown as {
      output: { url: string };
    };
    return output.url;
  }
}

interface PresignableRequest {
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  headers: Record<string, string>;
  query: Record<string, string | string[] | null>;
}

/** RFC 3986 escaping, as SigV4 signs the query. */
const uriEscape = (value: string) =>
  encodeURIComponent(value).replace(
    /[!'()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );

function formatUrl(request: PresignableRequest): string {
  const query = Object.entries(request.query)
    .flatMap(([name, value]) =>
      (Array.isArray(value) ? value : [value]).map((one) =>
        one === null ? uriEscape(name) : `${uriEscape(name)}=${uriEscape(one)}`,
      ),
    )
    .join('&');
  const port = request.port ? `:${request.port}` : '';
  return `${request.protocol}//${request.hostname}${port}${request.path}?${query}`;
}
