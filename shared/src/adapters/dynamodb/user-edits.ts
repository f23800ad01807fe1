import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { UserEdit, UserEdits } from '../../users/users.ts';

/**
 * Each office user's version and edit log, beside the directory that holds the user
 * (Cognito cannot write conditionally): one partition (USEREDITS), one item per username,
 * read by key. The conditional put is what makes an edit lose plainly to a concurrent one.
 */
const partition = 'USEREDITS';
/** The log kept on the item; older edits stay in the function's log. */
const keptEdits = 50;

export class DynamoUserEdits {
  private readonly documents: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(documents: DynamoDBDocumentClient, tableName: string) {
    this.documents = documents;
    this.tableName = tableName;
  }

  /** The stored logs of these users, by username (none for a user never edited here). */
  async read(usernames: readonly string[]): Promise<Map<string, UserEdits>> {
    const found = new Map<string, UserEdits>();
    const unique = [...new Set(usernames)];
    for (let start = 0; start < unique.length; start += 100) {
      let keys: Record<string, unknown>[] = unique
        .slice(start, start + 100)
        .map((username) => ({ pk: partition, sk: username }));
      while (keys.length) {
        const answer = await this.documents.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys } } }),
        );
        for (const item of answer.Responses?.[this.tableName] ?? []) {
          found.set(String(item.sk), {
            version: Number(item.version),
            updatedAt: String(item.updatedAt),
            updatedBy: item.updatedBy as UserEdits['updatedBy'],
            edits: (item.edits ?? []) as UserEdit[],
          });
        }
        keys = (answer.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Record<string, unknown>[];
      }
    }
    return found;
  }

  /** Logs an edit as version expectedVersion + 1, or 'conflict' if another came first. */
  async record(
    username: string,
    expectedVersion: number,
    edit: Omit<UserEdit, 'version'>,
  ): Promise<UserEdits | 'conflict'> {
    const current = (await this.read([username])).get(username);
    if ((current?.version ?? 0) !== expectedVersion) return 'conflict';
    const version = expectedVersion + 1;
    const edits = [...(current?.edits ?? []), { version, ...edit }].slice(-keptEdits);
    const stored: UserEdits = { version, updatedAt: edit.at, updatedBy: edit.by, edits };
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: partition, sk: username, ...stored },
          ...(expectedVersion === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: '#version = :expected',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':expected': expectedVersion },
              }),
        }),
      );
      return stored;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'conflict';
      throw error;
    }
  }
}
