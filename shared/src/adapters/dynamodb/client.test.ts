import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { HttpResponse } from '@smithy/types';
import { describe, expect, it } from 'vitest';
import { createDocumentClient } from './client.ts';

/** A DynamoDB client answering every call `{}` without a network, and what its logger got. */
function offlineClient() {
  const logged: unknown[] = [];
  const client = new DynamoDBClient({
    region: 'local',
    endpoint: 'http://127.0.0.1:1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    logger: {
      debug: () => {},
      info: (entry: unknown) => logged.push(entry),
      warn: () => {},
      error: () => {},
    },
    requestHandler: {
      handle: async () => ({
        response: {
          statusCode: 200,
          headers: { 'content-type': 'application/x-amz-json-1.0' },
          body: Buffer.from('{}'),
        } as unknown as HttpResponse,
      }),
    },
  });
  return { client, logged };
}

describe('the document client', () => {
  it('does no logging work per call: the SDK never copies an item for a logger', async () => {
    const plain = offlineClient();
    await DynamoDBDocumentClient.from(plain.client).send(
      new PutCommand({ TableName: 't', Item: { pk: 'a', sk: 'b' } }),
    );
    // The SDK's own middleware, as it comes: each call's input and output, filtered.
    expect(plain.logged).toHaveLength(1);

    const ours = offlineClient();
    await createDocumentClient(ours.client).send(
      new PutCommand({ TableName: 't', Item: { pk: 'a', sk: 'b' } }),
    );
    expect(ours.logged).toEqual([]);
  });
});
