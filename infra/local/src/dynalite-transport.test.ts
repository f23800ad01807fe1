import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AttributeValue,
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  BatchWriteItemCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynaliteCallChannel } from './dynalite-transport.ts';
import { fixedSignatureForDynalite, type LocalDynamo, startLocalDynamo } from './dynamodb.ts';

const tableName = 'records';
const folder = mkdtempSync(join(tmpdir(), 'qingling-dynalite-transport-'));
let dynamo: LocalDynamo;
/** The same dynalite over its HTTP server, as other processes and the bench's raw writes reach it. */
let overHttp: DynamoDBClient;

/** Any of the client's commands (send's own parameter type takes none of them as such). */
type AnyCommand = object;
const send = (
  client: DynamoDBClient,
  command: AnyCommand,
  options?: { abortSignal?: AbortSignal },
) => client.send(command as Parameters<DynamoDBClient['send']>[0], options) as Promise<unknown>;

const big = (kb: number) => 'x'.repeat(kb * 1024);
const item = (pk: string, sk: string, extra: Record<string, AttributeValue> = {}) => ({
  pk: { S: pk },
  sk: { S: sk },
  ...extra,
});

beforeAll(async () => {
  dynamo = await startLocalDynamo({ path: join(folder, 'shared'), tableName });
  overHttp = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    signer: fixedSignatureForDynalite,
  });
  // 60 small items in one partition, 12 of 300 KB in another: pages by Limit and by 1 MB.
  const writes = [
    ...Array.from({ length: 60 }, (_, index) =>
      item('HAZARD#small', `E#${String(index).padStart(4, '0')}`, {
        gsi1pk: { S: 'LIST' },
        gsi1sk: { S: String(index).padStart(4, '0') },
      }),
    ),
    ...Array.from({ length: 12 }, (_, index) =>
      item('HAZARD#large', `E#${String(index).padStart(4, '0')}`, { blob: { S: big(300) } }),
    ),
  ];
  for (let from = 0; from < writes.length; from += 25) {
    const batch = writes.slice(from, from + 25).map((Item) => ({ PutRequest: { Item } }));
    await dynamo.client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: batch } }));
  }
});

afterAll(async () => {
  overHttp.destroy();
  await dynamo.stop();
  rmSync(folder, { recursive: true, force: true });
});

/**
 * What the SDK gives back, without what differs from call to call (request ids), long
 * strings as their length (a failure prints short) and BatchGetItem's items in key order
 * (dynalite answers them in the order its reads finish).
 */
async function outcome(
  client: DynamoDBClient,
  command: AnyCommand,
  options?: { abortSignal?: AbortSignal },
) {
  try {
    const reply = (await send(client, command, options)) as {
      $metadata: { httpStatusCode?: number };
    };
    const { $metadata, ...output } = JSON.parse(JSON.stringify(reply), (_, value) =>
      typeof value === 'string' && value.length > 200 ? `<${value.length} characters>` : value,
    );
    const responses = (output as { Responses?: Record<string, unknown[]> }).Responses ?? {};
    for (const items of Object.values(responses)) {
      items.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    }
    return { status: reply.$metadata.httpStatusCode, output };
  } catch (error) {
    const { $metadata, $response, ...fields } = error as Record<string, unknown> & {
      $metadata: { httpStatusCode?: number };
    };
    const { name, message } = error as Error;
    return {
      status: $metadata?.httpStatusCode,
      error: { class: (error as object).constructor.name, name, message, ...fields },
    };
  }
}

/** The same command over HTTP and in-process: the SDK must surface the same thing. */
async function bothWays(command: () => AnyCommand, options?: { abortSignal?: AbortSignal }) {
  const http = await outcome(overHttp, command(), options);
  const inProcess = await outcome(dynamo.client, command(), options);
  expect(inProcess).toEqual(http);
  return inProcess;
}

describe('the in-process transport to dynalite', () => {
  it("sends the embedded cloud's client's calls without HTTP", async () => {
    const requests: string[] = [];
    const inProcess: string[] = [];
    const http = (message: unknown) =>
      requests.push(String((message as { request: IncomingMessage }).request.url));
    const direct = (message: unknown) =>
      inProcess.push(
        String((message as { headers: Record<string, string> }).headers['x-amz-target']),
      );
    subscribe('http.server.request.start', http);
    subscribe(dynaliteCallChannel, direct);
    try {
      await dynamo.client.send(
        new GetItemCommand({ TableName: tableName, Key: item('HAZARD#small', 'E#0000') }),
      );
      await overHttp.send(
        new GetItemCommand({ TableName: tableName, Key: item('HAZARD#small', 'E#0000') }),
      );
    } finally {
      unsubscribe('http.server.request.start', http);
      unsubscribe(dynaliteCallChannel, direct);
    }
    // Only the HTTP client's call reached the server; the embedded client's went straight in.
    expect(requests).toHaveLength(1);
    expect(inProcess).toEqual(['DynamoDB_20120810.GetItem']);
  });

  it('answers writes and reads as the HTTP path does, consumed capacity included', async () => {
    const put = await bothWays(
      () =>
        new PutItemCommand({
          TableName: tableName,
          Item: item('HAZARD#put', 'STATE', { n: { N: '1' } }),
          ReturnConsumedCapacity: 'INDEXES',
        }),
    );
    expect(put.output).toMatchObject({ ConsumedCapacity: { TableName: tableName } });
    const got = await bothWays(
      () =>
        new GetItemCommand({
          TableName: tableName,
          Key: item('HAZARD#put', 'STATE'),
          ReturnConsumedCapacity: 'TOTAL',
        }),
    );
    expect(got.output).toMatchObject({ Item: { n: { N: '1' } } });
    await bothWays(() => new DescribeTableCommand({ TableName: tableName }));
  });

  it('fails a condition with the same ConditionalCheckFailedException, the item when asked', async () => {
    const failed = await bothWays(
      () =>
        new PutItemCommand({
          TableName: tableName,
          Item: item('HAZARD#small', 'E#0001'),
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
    );
    // dynalite 4 does not send the item back (DynamoDB does): on neither path.
    expect(failed).toMatchObject({
      status: 400,
      error: {
        class: 'ConditionalCheckFailedException',
        message: 'The conditional request failed',
        $fault: 'client',
      },
    });
    const withoutItem = await bothWays(
      () =>
        new UpdateItemCommand({
          TableName: tableName,
          Key: item('HAZARD#small', 'E#0002'),
          UpdateExpression: 'SET v = :v',
          ConditionExpression: 'v = :old',
          ExpressionAttributeValues: { ':v': { N: '2' }, ':old': { N: '1' } },
        }),
    );
    expect(withoutItem).toMatchObject({ error: { class: 'ConditionalCheckFailedException' } });
  });

  it('refuses bad input, a missing table and an unknown operation alike', async () => {
    const invalid = [
      // A key without its sort key.
      () => new GetItemCommand({ TableName: tableName, Key: { pk: { S: 'HAZARD#small' } } }),
      // An expression that does not parse.
      () =>
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = = :pk',
          ExpressionAttributeValues: { ':pk': { S: 'x' } },
        }),
      // A value named but not given.
      () =>
        new DeleteItemCommand({
          TableName: tableName,
          Key: item('HAZARD#small', 'E#0003'),
          ConditionExpression: 'v = :missing',
        }),
      // An item over 400 KB.
      () =>
        new PutItemCommand({
          TableName: tableName,
          Item: item('HAZARD#huge', 'STATE', { blob: { S: big(401) } }),
        }),
    ];
    for (const command of invalid) {
      expect(await bothWays(command)).toMatchObject({
        status: 400,
        // Not a modelled error of DynamoDB's SDK: the base class, named by the reply.
        error: { name: 'ValidationException', $fault: 'client' },
      });
    }
    expect(
      await bothWays(() => new GetItemCommand({ TableName: 'missing', Key: item('a', 'b') })),
    ).toMatchObject({ status: 400, error: { class: 'ResourceNotFoundException' } });
    // dynalite 4 has no transactions: the operation is refused, the same way on both paths.
    expect(
      await bothWays(
        () =>
          new TransactWriteItemsCommand({
            TransactItems: [{ Put: { TableName: tableName, Item: item('HAZARD#tx', 'STATE') } }],
          }),
      ),
    ).toMatchObject({ status: 400, error: { name: 'UnknownOperationException' } });
  });

  it('refuses a call already aborted with the AbortError of the HTTP path', async () => {
    const get = () =>
      new GetItemCommand({ TableName: tableName, Key: item('HAZARD#small', 'E#0000') });
    expect(await bothWays(get, { abortSignal: AbortSignal.abort() })).toMatchObject({
      error: { name: 'AbortError', message: 'Request aborted' },
    });
    // The SDK's own message either way (a reason does not reach it).
    expect(await bothWays(get, { abortSignal: AbortSignal.abort('shutting down') })).toMatchObject({
      error: { name: 'AbortError' },
    });
  });

  it('carries large items, batches and pages as the HTTP path does', async () => {
    const large = await bothWays(
      () =>
        new PutItemCommand({
          TableName: tableName,
          Item: item('HAZARD#big', 'STATE', { blob: { S: big(390) } }),
        }),
    );
    expect(large.status).toBe(200);
    const back = await bothWays(
      () => new GetItemCommand({ TableName: tableName, Key: item('HAZARD#big', 'STATE') }),
    );
    expect(back.output).toMatchObject({ Item: { blob: { S: `<${390 * 1024} characters>` } } });
    // 12 items of 300 KB: a Query stops at 1 MB, a Scan too, each page the same both ways.
    const pages = async (
      client: DynamoDBClient,
      page: (start?: Record<string, AttributeValue>) => AnyCommand,
    ) => {
      const sizes: number[] = [];
      let start: Record<string, AttributeValue> | undefined;
      do {
        const reply = (await send(client, page(start))) as {
          Items?: unknown[];
          LastEvaluatedKey?: Record<string, AttributeValue>;
        };
        sizes.push(reply.Items?.length ?? 0);
        start = reply.LastEvaluatedKey;
      } while (start);
      return sizes;
    };
    const byMegabyte = (start?: Record<string, AttributeValue>) =>
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'HAZARD#large' } },
        ExclusiveStartKey: start,
      });
    const byLimit = (start?: Record<string, AttributeValue>) =>
      new QueryCommand({
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'LIST' } },
        Limit: 7,
        ExclusiveStartKey: start,
      });
    const scan = (start?: Record<string, AttributeValue>) =>
      new ScanCommand({ TableName: tableName, Limit: 25, ExclusiveStartKey: start });
    for (const page of [byMegabyte, byLimit, scan]) {
      const http = await pages(overHttp, page);
      expect(await pages(dynamo.client, page)).toEqual(http);
      expect(http.length).toBeGreaterThan(1);
    }
    // 72 keys, 12 of them large: BatchGetItem answers about 1 MB, the rest unprocessed,
    // which items first depending on which reads finish first: both paths fetch them all.
    const keys = [
      ...Array.from({ length: 60 }, (_, index) =>
        item('HAZARD#small', `E#${String(index).padStart(4, '0')}`),
      ),
      ...Array.from({ length: 12 }, (_, index) =>
        item('HAZARD#large', `E#${String(index).padStart(4, '0')}`),
      ),
    ];
    const batchGetAll = async (client: DynamoDBClient) => {
      const fetched: string[] = [];
      let replies = 0;
      let wanted: { Keys: Record<string, AttributeValue>[] } | undefined = { Keys: keys };
      while (wanted) {
        const reply = (await send(
          client,
          new BatchGetItemCommand({ RequestItems: { [tableName]: wanted } }),
        )) as BatchGetItemCommandOutput;
        replies += 1;
        for (const found of reply.Responses?.[tableName] ?? []) {
          fetched.push(`${found.pk?.S} ${found.sk?.S} ${found.blob?.S?.length ?? 0}`);
        }
        wanted = reply.UnprocessedKeys?.[tableName] as typeof wanted;
      }
      return { fetched: fetched.sort(), inOneReply: replies === 1 };
    };
    const httpBatches = await batchGetAll(overHttp);
    expect(httpBatches).toMatchObject({ inOneReply: false });
    expect(httpBatches.fetched).toHaveLength(72);
    expect(await batchGetAll(dynamo.client)).toEqual(httpBatches);
    const tooMany = await bothWays(
      () =>
        new BatchGetItemCommand({
          RequestItems: { [tableName]: { Keys: [...keys, ...keys.slice(0, 29)] } },
        }),
    );
    expect(tooMany).toMatchObject({ status: 400, error: { name: 'ValidationException' } });
    await bothWays(
      () =>
        new BatchWriteItemCommand({
          RequestItems: {
            [tableName]: Array.from({ length: 25 }, (_, index) => ({
              PutRequest: { Item: item('HAZARD#batch', String(index), { blob: { S: big(10) } }) },
            })),
          },
          ReturnConsumedCapacity: 'TOTAL',
        }),
    );
  });
});

describe('stopping the embedded DynamoDB', () => {
  it('answers the calls under way before the store closes, and refuses later ones', async () => {
    const stopping = await startLocalDynamo({ path: join(folder, 'stopping'), tableName });
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      const writes = Array.from({ length: 40 }, (_, index) =>
        stopping.client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: item('HAZARD#stop', String(index), { blob: { S: big(20) } }),
          }),
        ),
      );
      await stopping.stop();
      const settled = await Promise.allSettled(writes);
      expect(settled.map((write) => write.status)).toEqual(writes.map(() => 'fulfilled'));
      await expect(
        stopping.client.send(new GetItemCommand({ TableName: tableName, Key: item('a', 'b') })),
      ).rejects.toThrow(/stopped/);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    expect(uncaught).toEqual([]);
  });
});
