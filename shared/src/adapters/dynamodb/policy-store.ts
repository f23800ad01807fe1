import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type {
  CalendarYearData,
  Edit,
  LadderSettings,
  StoredCalendarYear,
  StoredEscalationPolicy,
  StoredPolicies,
} from '../../policies/policies.ts';
import type { PolicyStore } from '../../policies/policy-source.ts';

/**
 * Administrators' policy data in the records table, beside the other reference data: one
 * partition (POLICY), one item per calendar year and per jurisdiction's ladder, each with
 * the version conditional writes check. Read with one Query (never a Scan).
 */
const partition = 'POLICY';
const keys = {
  calendarYear: (year: number) => ({ pk: partition, sk: `CALENDAR#${year}` }),
  escalationPolicy: (jurisdiction: string) => ({ pk: partition, sk: `ESCALATION#${jurisdiction}` }),
};

export class DynamoPolicyStore implements PolicyStore {
  private readonly documents: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(documents: DynamoDBDocumentClient, tableName: string) {
    this.documents = documents;
    this.tableName = tableName;
  }

  async read(): Promise<StoredPolicies> {
    const calendarYears: StoredCalendarYear[] = [];
    const escalationPolicies: StoredEscalationPolicy[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': partition },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page?.Items ?? []) {
        const sk = String(item.sk);
        const meta = {
          version: Number(item.version),
          updatedAt: String(item.updatedAt),
          updatedBy: item.updatedBy as Edit['by'],
        };
        if (sk.startsWith('CALENDAR#')) {
          calendarYears.push({
            ...(item.data as CalendarYearData),
            year: Number(sk.slice('CALENDAR#'.length)),
            ...meta,
          });
        } else if (sk.startsWith('ESCALATION#')) {
          escalationPolicies.push({
            ...(item.data as LadderSettings),
            jurisdiction: sk.slice('ESCALATION#'.length),
            ...meta,
          });
        }
      }
      startKey = page?.LastEvaluatedKey;
    } while (startKey);
    return { calendarYears, escalationPolicies };
  }

  async putCalendarYear(
    year: number,
    days: CalendarYearData,
    edit: Edit & { expectedVersion: number },
  ): Promise<StoredCalendarYear | 'conflict'> {
    const data: CalendarYearData = { holidays: [...days.holidays], workdays: [...days.workdays] };
    const written = await this.put(keys.calendarYear(year), data, edit);
    return written === 'conflict' ? written : { ...data, year, ...written };
  }

  async putEscalationPolicy(
    jurisdiction: string,
    settings: LadderSettings,
    edit: Edit & { expectedVersion: number },
  ): Promise<StoredEscalationPolicy | 'conflict'> {
    const data: LadderSettings = {
      ladder: settings.ladder.map((rung) => ({ ...rung, recipients: [...rung.recipients] })),
      officeHours: { ...settings.officeHours },
      lateAfterMinutes: settings.lateAfterMinutes,
    };
    const written = await this.put(keys.escalationPolicy(jurisdiction), data, edit);
    return written === 'conflict' ? written : { ...data, jurisdiction, ...written };
  }

  /** One conditional write: a concurrent edit of the same version loses, plainly. */
  private async put(
    key: { pk: string; sk: string },
    data: unknown,
    edit: Edit & { expectedVersion: number },
  ): Promise<{ version: number; updatedAt: string; updatedBy: Edit['by'] } | 'conflict'> {
    const version = edit.expectedVersion + 1;
    const updatedBy = { userId: edit.by.userId, name: edit.by.name };
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...key, data, version, updatedAt: edit.at, updatedBy },
          ...(edit.expectedVersion === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: '#version = :expected',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':expected': edit.expectedVersion },
              }),
        }),
      );
      return { version, updatedAt: edit.at, updatedBy };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'conflict';
      throw error;
    }
  }
}
