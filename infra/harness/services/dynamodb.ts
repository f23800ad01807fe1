import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import {
  type AwsRequest,
  type Caller,
  jsonError,
  type ServiceRegistration,
} from '../aws-endpoint.ts';
import type { DeployedTemplate } from '../template.ts';

/**
 * DynamoDB: dynalite (in memory) with the tables as the template declares them. Each call
 * is authorized on the table's or index's ARN with the `dynamodb:LeadingKeys` condition key
 * (the partition key values the call touches), then passed to dynalite unchanged.
 */

interface TableShape {
  arn: string;
  hashKey: string;
  indexes: Map<string, string>;
}

type Json = Record<string, unknown>;

export class DynamoDbService {
  private readonly template: DeployedTemplate;
  private readonly tables = new Map<string, TableShape>();
  private server?: ReturnType<typeof dynalite>;
  /** dynalite itself, behind no policy: for a test that must break the data on purpose. */
  endpoint = '';

  constructor(template: DeployedTemplate) {
    this.template = template;
  }

  async start(): Promise<void> {
    this.server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    const client = new DynamoDBClient({
      endpoint: this.endpoint,
      region: this.template.place.region,
      credentials: { accessKeyId: 'harness', secretAccessKey: 'harness' },
    });
    for (const { logicalId } of this.template.ofType('AWS::DynamoDB::Table')) {
      const properties = this.template.property<Json>(logicalId, 'KeySchema') as unknown;
      const name = this.template.ref(logicalId);
      const get = <T>(key: string) => this.template.property<T>(logicalId, key);
      const keySchema = properties as { AttributeName: string; KeyType: string }[];
      const indexes = (get<Json[] | undefined>('GlobalSecondaryIndexes') ?? []) as {
        IndexName: string;
        KeySchema: { AttributeName: string; KeyType: string }[];
        Projection: unknown;
      }[];
      const input = {
        TableName: name,
        KeySchema: keySchema,
        AttributeDefinitions: get('AttributeDefinitions'),
        BillingMode: 'PAY_PER_REQUEST',
        ...(indexes.length
          ? {
              GlobalSecondaryIndexes: indexes.map((index) => ({
                IndexName: index.IndexName,
                KeySchema: index.KeySchema,
                Projection: index.Projection,
              })),
            }
          : {}),
      } as CreateTableCommandInput;
      await client.send(new CreateTableCommand(input));
      for (let attempt = 0; attempt < 200; attempt += 1) {
        const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
        if (Table?.TableStatus === 'ACTIVE') break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const hashOf = (schema: { AttributeName: string; KeyType: string }[]) =>
        schema.find((key) => key.KeyType === 'HASH')?.AttributeName ?? '';
      this.tables.set(name, {
        arn: this.template.getAtt(logicalId, 'Arn'),
        hashKey: hashOf(keySchema),
        indexes: new Map(indexes.map((index) => [index.IndexName, hashOf(index.KeySchema)])),
      });
    }
    client.destroy();
  }

  async stop(): Promise<void> {
    this.server?.close();
  }

  registration(): ServiceRegistration {
    const error = jsonError('application/x-amz-json-1.0', 'com.amazonaws.dynamodb.v20120810#');
    return {
      error,
      denied: (message) => ({
        status: 400,
        headers: { 'content-type': 'application/x-amz-json-1.0' },
        body: JSON.stringify({
          __type: 'com.amazon.coral.service#AccessDeniedException',
          Message: message,
        }),
      }),
      handle: async (request, caller) => {
        this.authorize(request, caller);
        const response = await fetch(this.endpoint, {
          method: 'POST',
          headers: {
            'content-type': String(request.headers['content-type'] ?? 'application/x-amz-json-1.0'),
            'x-amz-target': String(request.headers['x-amz-target'] ?? ''),
            authorization: String(request.headers.authorization ?? ''),
            'x-amz-date': String(request.headers['x-amz-date'] ?? ''),
          },
          body: new Uint8Array(request.body),
        });
        return {
          status: response.status,
          headers: {
            'content-type': response.headers.get('content-type') ?? 'application/x-amz-json-1.0',
            ...(response.headers.get('x-amz-crc32')
              ? { 'x-amz-crc32': response.headers.get('x-amz-crc32') ?? '' }
              : {}),
          },
          body: Buffer.from(await response.arrayBuffer()),
        };
      },
    };
  }

  /** Every (action, resource, leading keys) a call needs, each checked on its own. */
  private authorize(request: AwsRequest, caller: Caller): void {
    const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    const body = JSON.parse(request.body.toString('utf8') || '{}') as Json;
    const check = (action: string, tableName: string, indexName?: string, keys?: string[]) => {
      const table = this.tables.get(tableName);
      const tableArn = table?.arn ?? this.template.arn('dynamodb', `table/${tableName}`);
      caller.authorize({
        action: `dynamodb:${action}`,
        resource: indexName ? `${tableArn}/index/${indexName}` : tableArn,
        context: keys ? { 'dynamodb:LeadingKeys': keys } : {},
      });
    };
    const keyOf = (tableName: string, item: unknown): string[] => {
      const hash = this.tables.get(tableName)?.hashKey ?? '';
      const value = (item as Record<string, Json> | undefined)?.[hash];
      return value ? [String(Object.values(value)[0])] : [];
    };
    const tableName = String(body.TableName ?? '');
    switch (operation) {
      case 'GetItem':
      case 'DeleteItem':
      case 'UpdateItem':
        check(operation, tableName, undefined, keyOf(tableName, body.Key));
        return;
      case 'PutItem':
        check(operation, tableName, undefined, keyOf(tableName, body.Item));
        return;
      case 'Query': {
        const indexName = body.IndexName as string | undefined;
        const table = this.tables.get(tableName);
        const hash = indexName ? table?.indexes.get(indexName) : table?.hashKey;
        check('Query', tableName, indexName, queryLeadingKeys(body, hash ?? ''));
        return;
      }
      case 'Scan':
        check('Scan', tableName, body.IndexName as string | undefined);
        return;
      case 'BatchGetItem':
        for (const [name, entry] of Object.entries((body.RequestItems ?? {}) as Json)) {
          const keys = ((entry as { Keys?: unknown[] }).Keys ?? []).flatMap((key) =>
            keyOf(name, key),
          );
          check('BatchGetItem', name, undefined, keys);
        }
        return;
      case 'BatchWriteItem':
        for (const [name, writes] of Object.entries((body.RequestItems ?? {}) as Json)) {
          const keys = (writes as Json[]).flatMap((write) =>
            keyOf(name, (write.PutRequest as Json)?.Item ?? (write.DeleteRequest as Json)?.Key),
          );
          check('BatchWriteItem', name, undefined, keys);
        }
        return;
      case 'DescribeTable':
        check('DescribeTable', tableName);
        return;
      default:
        // Transactions and the rest: dynalite lacks them, and so does the code (DESIGN).
        check(operation, tableName);
        return;
    }
  }
}

/** The partition key value(s) a Query's key condition names (`#pk = :v` or `pk = :v`). */
function queryLeadingKeys(body: Json, hashAttribute: string): string[] {
  const expression = String(body.KeyConditionExpression ?? '');
  const names = (body.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const values = (body.ExpressionAttributeValues ?? {}) as Record<string, Json>;
  for (const match of expression.matchAll(/([#\w]+)\s*=\s*(:\w+)/g)) {
    const [, name = '', placeholder = ''] = match;
    if ((names[name] ?? name) !== hashAttribute) continue;
    const value = values[placeholder];
    if (value) return [String(Object.values(value)[0])];
  }
  return [];
}

export type { AwsRequest };
