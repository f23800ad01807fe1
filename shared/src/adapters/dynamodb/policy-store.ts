import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { jurisdictionRecipients } from '../../notifications/jurisdiction-recipients.ts';
import {
  type CalendarYearData,
  type ContactsEdit,
  changedRecipients,
  type Edit,
  type LadderSettings,
  type StoredCalendarYear,
  type StoredEscalationPolicy,
  type StoredJurisdictionContacts,
  type StoredPolicies,
} from '../../policies/policies.ts';
import type { PolicyStore } from '../../policies/policy-source.ts';
import type { JurisdictionContactLists } from '../../policies/schemas.ts';
import type { RewardPolicySettings, StoredRewardPolicy } from '../../rewards/reward-policy.ts';

/**
 * Administrators' policy data in the records table, beside the other reference data: one
 * partition (POLICY), one item per calendar year and per jurisdiction's ladder, each with
 * the version conditional writes check. Read with one Query (never a Scan). The contact
 * lists of the jurisdictions are policy data too, but personal: a partition of their own
 * (POLICY#CONTACTS), one item per jurisdiction, read by key, so the Query every lifecycle
 * turn caches never carries them.
 */
const partition = 'POLICY';
const keys = {
  calendarYear: (year: number) => ({ pk: partition, sk: `CALENDAR#${year}` }),
  escalationPolicy: (jurisdiction: string) => ({ pk: partition, sk: `ESCALATION#${jurisdiction}` }),
  rewardPolicy: (jurisdiction: string) => ({ pk: partition, sk: `REWARD#${jurisdiction}` }),
  contacts: (jurisdiction: string) => ({ pk: `${partition}#CONTACTS`, sk: jurisdiction }),
};

/** The lists as stored, each recipient present (an item written before a recipient existed). */
function listsOf(data: unknown): JurisdictionContactLists {
  const stored = (data ?? {}) as Partial<JurisdictionContactLists>;
  const lists = {} as JurisdictionContactLists;
  for (const recipient of jurisdictionRecipients) {
    lists[recipient] = (stored[recipient] ?? []).map((contact) => ({ ...contact }));
  }
  return lists;
}

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
    const rewardPolicies: StoredRewardPolicy[] = [];
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
        } else if (sk.startsWith('REWARD#')) {
          rewardPolicies.push({
            ...(item.data as RewardPolicySettings),
            jurisdiction: sk.slice('REWARD#'.length),
            ...meta,
          });
        }
      }
      startKey = page?.LastEvaluatedKey;
    } while (startKey);
    return { calendarYears, escalationPolicies, rewardPolicies };
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
    // All of it (the schema is strict: nothing else can be in it), a copy of its own.
    const data: LadderSettings = structuredClone(settings);
    const written = await this.put(keys.escalationPolicy(jurisdiction), data, edit);
    return written === 'conflict' ? written : { ...data, jurisdiction, ...written };
  }

  async putRewardPolicy(
    jurisdiction: string,
    settings: RewardPolicySettings,
    edit: Edit & { expectedVersion: number },
  ): Promise<StoredRewardPolicy | 'conflict'> {
    const data: RewardPolicySettings = structuredClone(settings);
    const written = await this.put(keys.rewardPolicy(jurisdiction), data, edit);
    return written === 'conflict' ? written : { ...data, jurisdiction, ...written };
  }

  async jurisdictionContacts(
    jurisdiction: string,
  ): Promise<StoredJurisdictionContacts | undefined> {
    const { Item: item } = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.contacts(jurisdiction),
        ConsistentRead: true,
      }),
    );
    if (!item) return undefined;
    return {
      jurisdiction,
      contacts: listsOf(item.data),
      version: Number(item.version),
      updatedAt: String(item.updatedAt),
      updatedBy: item.updatedBy as Edit['by'],
      edits: ((item.edits ?? []) as ContactsEdit[]).map((entry) => ({
        version: Number(entry.version),
        at: String(entry.at),
        by: { userId: entry.by.userId, name: entry.by.name },
        changed: [...(entry.changed ?? [])],
      })),
    };
  }

  /**
   * Read, then one conditional write: the edit log is the stored one with this edit added,
   * and the write holds only if nobody wrote since the read (the version is the check).
   */
  async putJurisdictionContacts(
    jurisdiction: string,
    contacts: JurisdictionContactLists,
    edit: Edit & { expectedVersion: number },
  ): Promise<StoredJurisdictionContacts | 'conflict'> {
    const current = await this.jurisdictionContacts(jurisdiction);
    if ((current?.version ?? 0) !== edit.expectedVersion) return 'conflict';
    const data = listsOf(contacts);
    const entry: ContactsEdit = {
      version: edit.expectedVersion + 1,
      at: edit.at,
      by: { userId: edit.by.userId, name: edit.by.name },
      changed: changedRecipients(current?.contacts, data),
    };
    const edits = [...(current?.edits ?? []), entry];
    const written = await this.put(keys.contacts(jurisdiction), data, edit, { edits });
    return written === 'conflict' ? written : { jurisdiction, contacts: data, ...written, edits };
  }

  /** One conditional write: a concurrent edit of the same version loses, plainly. */
  private async put(
    key: { pk: string; sk: string },
    data: unknown,
    edit: Edit & { expectedVersion: number },
    more: Record<string, unknown> = {},
  ): Promise<{ version: number; updatedAt: string; updatedBy: Edit['by'] } | 'conflict'> {
    const version = edit.expectedVersion + 1;
    const updatedBy = { userId: edit.by.userId, name: edit.by.name };
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...more, ...key, data, version, updatedAt: edit.at, updatedBy },
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
