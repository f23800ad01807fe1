import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { afterAll, describe, expect, it } from 'vitest';
import { createTableInput, tableDesign } from '../../table-design.ts';
import { startLocalDynamo } from './dynamodb.ts';

// dynalite cannot add an index to a table: a data directory made before an index was added
// (the filtered ledger's gsi3-gsi7) gets the table made again, every item kept.
const tableName = 'records';
const folder = mkdtempSync(join(tmpdir(), 'qingling-dynamo-upgrade-'));
const path = join(folder, 'dynamodb');

afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** The table as an older design made it: gsi1 and gsi2 only, 60 items in it. */
async function olderTable() {
  const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0 });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const input = createTableInput(tableName);
  await client.send(
    new CreateTableCommand({
      ...input,
      AttributeDefinitions: input.AttributeDefinitions.filter((definition) =>
        /^(pk|sk|gsi[12](pk|sk))$/.test(definition.AttributeName),
      ),
      GlobalSecondaryIndexes: input.GlobalSecondaryIndexes.slice(0, 2),
    }),
  );
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  for (let batch = 0; batch < 3; batch += 1) {
    const items = Array.from({ length: 20 }, (_, index) => ({
      PutRequest: {
        Item: {
          pk: { S: `HAZARD#h${batch * 20 + index}` },
          sk: { S: 'STATE' },
          gsi1pk: { S: 'LIST' },
          gsi1sk: { S: String(batch * 20 + index).padStart(3, '0') },
          state: { M: { note: { S: '原样保留' } } },
        },
      },
    }));
    await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: items } }));
  }
  client.destroy();
  server.close();
  await once(server, 'close');
}

describe('a table of an older design', () => {
  it('is made again with every index of the design, its items kept', async () => {
    await olderTable();
    const dynamo = await startLocalDynamo({ path, tableName });
    try {
      const { Table } = await dynamo.client.send(
        new DescribeTableCommand({ TableName: tableName }),
      );
      expect((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName).sort()).toEqual(
        tableDesign.globalSecondaryIndexes.map((index) => index.indexName).sort(),
      );
      const listed = await dynamo.client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: 'LIST' } },
        }),
      );
      expect(listed.Count).toBe(60);
      const one = await dynamo.client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: { pk: { S: 'HAZARD#h42' }, sk: { S: 'STATE' } },
        }),
      );
      expect(one.Item?.state?.M?.note?.S).toBe('原样保留');
      expect(existsSync(`${path}.upgrade.jsonl`)).toBe(false);
    } finally {
      await dynamo.stop();
    }
  });
});
