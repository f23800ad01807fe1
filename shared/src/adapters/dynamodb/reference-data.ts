import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { JurisdictionRecord, UpdateJurisdiction } from '../../api/schemas.ts';
import type { ReferenceData, SeedData } from '../../reference/reference-data.ts';

const keys = {
  seedMarker: { pk: 'META', sk: 'SEED' },
  jurisdiction: (code: string) => ({ pk: 'JURISDICTION', sk: code }),
  industry: (code: string) => ({ pk: 'INDUSTRY', sk: code }),
};

export class DynamoReferenceData implements ReferenceData {
  private readonly documents: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(documents: DynamoDBDocumentClient, tableName: string) {
    this.documents = documents;
    this.tableName = tableName;
  }

  async seedVersion(): Promise<string | null> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: keys.seedMarker, ConsistentRead: true }),
    );
    return typeof Item?.version === 'string' ? Item.version : null;
  }

  async listJurisdictions(): Promise<JurisdictionRecord[]> {
    const items: JurisdictionRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': 'JURISDICTION' },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        items.push(jurisdictionRecordOf(item));
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  async updateJurisdiction(
    code: string,
    update: UpdateJurisdiction,
  ): Promise<JurisdictionRecord | 'not_found' | { conflict: JurisdictionRecord }> {
    try {
      const { Attributes } = await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.jurisdiction(code),
          // One conditional write: a concurrent edit of the same version loses, plainly.
          UpdateExpression:
            'SET #data.#zh = :zh, #data.#en = :en, #data.#units = :units, #version = :next',
          ConditionExpression: 'attribute_exists(pk) AND #version = :expected',
          ExpressionAttributeNames: {
            '#data': 'data',
            '#zh': 'zh',
            '#en': 'en',
            '#units': 'units',
            '#version': 'version',
          },
          ExpressionAttributeValues: {
            ':zh': update.zh,
            ':en': update.en,
            ':units': update.units,
            ':expected': update.expectedVersion,
            ':next': update.expectedVersion + 1,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { ...(Attributes?.data as JurisdictionRecord), version: Number(Attributes?.version) };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const { Item } = await this.documents.send(
        new GetCommand({
          TableName: this.tableName,
          Key: keys.jurisdiction(code),
          ConsistentRead: true,
        }),
      );
      return Item ? { conflict: jurisdictionRecordOf(Item) } : 'not_found';
    }
  }

  async seed(data: SeedData): Promise<{ added: number }> {
    let added = 0;
    const putIfAbsent = async (key: { pk: string; sk: string }, item: unknown) => {
      try {
        await this.documents.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...key, data: item, version: 1, seedVersion: data.version },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        added += 1;
      } catch (error) {
        // Already there (an earlier start, or an administrator's edit): keep it.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    };
    for (const jurisdiction of data.jurisdictions) {
      await putIfAbsent(keys.jurisdiction(jurisdiction.code), jurisdiction);
    }
    for (const industry of data.industries) {
      await putIfAbsent(keys.industry(industry.code), industry);
    }
    // The marker goes last so that a crash half-way is finished by the next start.
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.seedMarker, version: data.version },
      }),
    );
    return { added };
  }
}

/** A jurisdiction item as the API gives it: its data with the version edits check. */
function jurisdictionRecordOf(item: Record<string, unknown>): JurisdictionRecord {
  return { ...(item.data as JurisdictionRecord), version: Number(item.version ?? 1) };
}
