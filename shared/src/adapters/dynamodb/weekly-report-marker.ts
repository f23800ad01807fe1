import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';

/**
 * The last week whose weekly reports were sent, on the embedded cloud (AWS needs none: its
 * rule fires each Monday). Kept in the table so that a restart neither skips a Monday that
 * passed while the cloud was down nor sends for weeks before its first start; the messages'
 * keys make a week sent again after a crash change nothing.
 */
export class DynamoWeeklyReportMarker {
  private readonly documents: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly key = { pk: 'WEEKLY_REPORTS', sk: 'THROUGH' };

  constructor(documents: DynamoDBDocumentClient, tableName: string) {
    this.documents = documents;
    this.tableName = tableName;
  }

  /** The Monday of the last week sent (or skipped at the first start); undefined at first. */
  async through(): Promise<string | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: this.key, ConsistentRead: true }),
    );
    return (Item?.week as string | undefined) ?? undefined;
  }

  async record(week: string): Promise<void> {
    await this.documents.send(
      new PutCommand({ TableName: this.tableName, Item: { ...this.key, week } }),
    );
  }
}
