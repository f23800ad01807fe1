import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { appendFile, readFile, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import {
  type AttributeValue,
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { createTableInput, tableDesign } from '../../table-design.ts';
import { dynaliteTransport } from './dynalite-transport.ts';

closeDynaliteIterators();

/**
 * dynalite 4 reads LevelDB through abstract-level 3 iterators wrapped in streams, and closes
 * each one with `iterator.return()`, a method abstract-level 3 iterators do not have (they
 * have `close()`). So every Query and Scan left a native iterator open until the store
 * closed, each pinning its buffers and a snapshot that keeps compacted files on disk: about
 * 20 KB of memory a query, and at 10,000 hazards the stack grew to gigabytes of memory and
 * of disk (issue 11). Giving the iterators the `return()` dynalite calls closes them.
 * Checked by infra/local/src/dynamodb.test.ts; drop this when dynalite calls `close()`.
 */
function closeDynaliteIterators(): void {
  const iterator = dynaliteIteratorPrototype();
  if (typeof iterator.return === 'function') return;
  iterator.return = function (this: { close(): Promise<void> }) {
    return this.close();
  };
}

/** The base class of the entry, key and value iterators dynalite opens (abstract-level). */
export function dynaliteIteratorPrototype(): {
  return?: () => Promise<void>;
  close(): Promise<void>;
} {
  const fromDynalite = createRequire(createRequire(import.meta.url).resolve('dynalite'));
  const { AbstractIterator } = fromDynalite('abstract-level') as {
    AbstractIterator: { prototype: object };
  };
  return Object.getPrototypeOf(AbstractIterator.prototype);
}

export interface LocalDynamo {
  /** dynalite's HTTP server, for other clients and processes. */
  endpoint: string;
  /** The embedded cloud's own client: in-process, no socket (./dynalite-transport.ts). */
  client: DynamoDBClient;
  stop(): Promise<void>;
}

/**
 * Dynalite checks that a request carries a SigV4 Authorization header and a date, never
 * the signature itself: the embedded cloud's client sends a fixed one instead of hashing
 * each request (SigV4 was about 7 % of the CPU of a burst of escalation steps in a
 * profile, issue 11). Only the embedded cloud's clients (and its bench's and tests'), only
 * against dynalite on 127.0.0.1.
 */
export const fixedSignatureForDynalite = {
  sign: async <Request extends { headers: Record<string, string> }>(request: Request) => {
    request.headers.authorization =
      'AWS4-HMAC-SHA256 Credential=local/20260101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=local';
    request.headers['x-amz-date'] = '20260101T000000Z';
    return request;
  },
};

/** Dynalite (DynamoDB's API over LevelDB) persisted in `path`, with Qingling's table. */
export async function startLocalDynamo(options: {
  path: string;
  tableName: string;
  port?: number;
}): Promise<LocalDynamo> {
  const server = dynalite({ path: options.path, createTableMs: 0, deleteTableMs: 0 });
  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const transport = dynaliteTransport(server);
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    signer: fixedSignatureForDynalite,
    requestHandler: transport,
  });
  transport.watch(client);
  await ensureTable(client, options.tableName, `${options.path}.upgrade.jsonl`);
  return {
    endpoint,
    client,
    stop: async () => {
      // The client's calls sent so far are answered before the store closes; later ones are
      // refused (a write reaching a closed store was 'Database is closed', uncaught).
      await transport.stop();
      client.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
  upgradeFile: string,
): Promise<void> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const present = new Set((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
    const missing = tableDesign.globalSecondaryIndexes.some(
      (index) => !present.has(index.indexName),
    );
    if (missing) await upgradeTable(client, tableName, upgradeFile);
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await client.send(new CreateTableCommand(createTableInput(tableName)));
  }
  // A copy left by an upgrade that stopped half-way: the new table gets it back.
  if (existsSync(upgradeFile)) await restoreItems(client, tableName, upgradeFile);
  await waitUntilActive(client, tableName);
}

/**
 * A table of an older design (an index added since, e.g. the filtered ledger's): dynalite
 * cannot add an index to a table, so every item is copied to a file beside the data, the
 * table made again from the design, and the items written back (the event store's items
 * as they were; the records' new index attributes come from their own backfills, e.g.
 * DynamoHazardLedger.ensureIndexed). The file is complete before the table is dropped, and
 * kept until every item is back: a start after a crash in between finishes the restore.
 */
async function upgradeTable(
  client: DynamoDBClient,
  tableName: string,
  upgradeFile: string,
): Promise<void> {
  const partial = `${upgradeFile}.partial`;
  await rm(partial, { force: true });
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey }),
    );
    const lines = (page.Items ?? []).map((item) => `${JSON.stringify(item)}\n`).join('');
    if (lines) await appendFile(partial, lines);
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  if (existsSync(partial)) await rename(partial, upgradeFile);
  await client.send(new DeleteTableCommand({ TableName: tableName }));
  // dynalite drops the table on a timer even with deleteTableMs 0: creating it again at
  // once is refused (ResourceInUseException) on a loaded machine, as CI's run of 2f8ccb0 was.
  await waitUntilGone(client, tableName);
  await client.send(new CreateTableCommand(createTableInput(tableName)));
  await waitUntilActive(client, tableName);
}

async function waitUntilGone(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt += 1) {
    try {
      await client.send(new DescribeTableCommand({ TableName: tableName }));
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return;
      throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`The local table ${tableName} was not deleted`);
}

async function restoreItems(
  client: DynamoDBClient,
  tableName: string,
  upgradeFile: string,
): Promise<void> {
  await waitUntilActive(client, tableName);
  const items = (await readFile(upgradeFile, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, AttributeValue>);
  for (let from = 0; from < items.length; from += 25) {
    let writes = items.slice(from, from + 25).map((Item) => ({ PutRequest: { Item } }));
    while (writes.length) {
      const reply = await client.send(
        new BatchWriteItemCommand({ RequestItems: { [tableName]: writes } }),
      );
      writes = (reply.UnprocessedItems?.[tableName] ?? []) as typeof writes;
    }
  }
  await rm(upgradeFile);
}

/** dynalite answers "not found" to writes while a new table is still CREATING. */
async function waitUntilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every(
      (index) => index.IndexStatus === 'ACTIVE',
    );
    if (Table?.TableStatus === 'ACTIVE' && indexesActive) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`The local table ${tableName} did not become active`);
}
