import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDocumentClient } from './client.ts';
import { DynamoLifecycleWaits } from './lifecycle-waits.ts';

const documents = mockClient(DynamoDBDocumentClient);
const waits = new DynamoLifecycleWaits(
  createDocumentClient(),
  'records',
  () => new Date('2025-03-01T00:00:00.000Z'),
);

beforeEach(() => documents.reset());

describe('DynamoLifecycleWaits', () => {
  it("puts the token on the hazard's partition as its WAIT item, with generation and until", async () => {
    documents.on(PutCommand).resolves({});
    const result = await waits.register({
      stream: 'HAZARD#H1',
      generation: 2,
      taskToken: 'token-abc',
      timeoutSeconds: 3600,
    });
    expect(result).toEqual({ until: '2025-03-01T01:00:00.000Z', stale: false });
    const input = documents.commandCalls(PutCommand)[0]?.args[0].input;
    expect(input).toEqual({
      TableName: 'records',
      Item: {
        pk: 'HAZARD#H1',
        sk: 'WAIT',
        taskToken: 'token-abc',
        generation: 2,
        until: '2025-03-01T01:00:00.000Z',
        // The index of next-due times: the reconciler finds a wait whose time has long passed.
        gsi1pk: 'LIFECYCLE_WAITS',
        gsi1sk: '2025-03-01T01:00:00.000Z#HAZARD#H1',
      },
      ConditionExpression: 'attribute_not_exists(generation) OR generation <= :generation',
      ExpressionAttributeValues: { ':generation': 2 },
    });
  });

  it('keeps the wait of a newer generation: a stale execution is told it is stale', async () => {
    documents
      .on(PutCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'newer', $metadata: {} }));
    const result = await waits.register({
      stream: 'HAZARD#H1',
      generation: 1,
      taskToken: 'old-token',
      timeoutSeconds: 60,
    });
    expect(result.stale).toBe(true);
  });

  it('refuses a wait without token or generation, without writing', async () => {
    const base = { stream: 'HAZARD#H1', generation: 1, taskToken: 't', timeoutSeconds: 1 };
    await expect(waits.register({ ...base, taskToken: '' })).rejects.toThrow(/token/);
    await expect(waits.register({ ...base, generation: 0 })).rejects.toThrow(/generation/);
    expect(documents.calls()).toHaveLength(0);
  });
});
