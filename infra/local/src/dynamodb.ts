import { once } from 'node:events';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { createTableInput } from '../../table-design.ts';

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
  endpoint: string;
  client: DynamoDBClient;
  stop(): Promise<void>;
}

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
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await ensureTable(client, options.tableName);
  return {
    endpoint,
    client,
    stop: async () => {
      client.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await client.send(new CreateTableCommand(createTableInput(tableName)));
  }
  // dynalite answers "not found" to writes while a new table is still CREATING.
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
