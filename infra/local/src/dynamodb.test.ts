import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchWriteItemCommand,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type DynaliteCall, dynaliteCallChannel } from './dynalite-transport.ts';
import { dynaliteIteratorPrototype, type LocalDynamo, startLocalDynamo } from './dynamodb.ts';

const tableName = 'records';
const path = mkdtempSync(join(tmpdir(), 'qingling-dynamo-'));
let dynamo: LocalDynamo;

beforeAll(async () => {
  dynamo = await startLocalDynamo({ path, tableName });
  const items = Array.from({ length: 20 }, (_, index) => ({
    PutRequest: {
      Item: {
        pk: { S: 'HAZARD#h1' },
        sk: { S: `EVENT#${String(index).padStart(4, '0')}` },
        gsi1pk: { S: 'LIST' },
        gsi1sk: { S: String(index) },
      },
    },
  }));
  await dynamo.client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: items } }));
});

afterAll(async () => {
  await dynamo.stop();
  rmSync(path, { recursive: true, force: true });
});

describe('the embedded DynamoDB (dynalite)', () => {
  it("answers its client's requests signed with a fixed header, not a SigV4 hash each", async () => {
    const authorizations: string[] = [];
    // The client hands its requests to dynalite in-process (./dynalite-transport.ts).
    const listener = (message: unknown) => {
      authorizations.push(String((message as DynaliteCall).headers.authorization));
    };
    subscribe(dynaliteCallChannel, listener);
    try {
      const { Count } = await dynamo.client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: 'HAZARD#h1' } },
        }),
      );
      expect(Count).toBe(20);
    } finally {
      unsubscribe(dynaliteCallChannel, listener);
    }
    expect(authorizations).toEqual([expect.stringContaining('Signature=local')]);
  });

  it('closes the LevelDB iterator of every Query and Scan, stopped by a limit or not', async () => {
    // An iterator left open pins memory and a snapshot until the store closes: the stack
    // grew by about 20 KB a query, to gigabytes at 10,000 hazards (issue 11).
    const close = vi.spyOn(dynaliteIteratorPrototype(), 'close');
    const byPartition: QueryCommandInput = {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: 'HAZARD#h1' } },
    };
    const byIndex: QueryCommandInput = {
      TableName: tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: 'LIST' } },
    };
    const reads = [
      ...Array.from({ length: 10 }, () => new QueryCommand({ ...byPartition, Limit: 1 })),
      ...Array.from({ length: 10 }, () => new QueryCommand({ ...byIndex, Limit: 3 })),
      new QueryCommand(byPartition),
      new QueryCommand({ ...byIndex, ScanIndexForward: false }),
      new ScanCommand({ TableName: tableName, Limit: 2 }),
    ];
    try {
      for (const read of reads) {
        const reply = await dynamo.client.send(read as QueryCommand);
        expect(reply.Items?.length).toBeGreaterThan(0);
      }
      // dynalite closes a read's iterator before it answers.
      expect(close.mock.calls.length).toBeGreaterThanOrEqual(reads.length);
    } finally {
      close.mockRestore();
    }
  });
});
