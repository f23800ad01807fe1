import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { TipInbox } from '../../tips/inbox.ts';
import type { RewardClaimDeskEntry, RewardDeskEntry } from '../../tips/reward-desk.ts';
import type { RewardListEntry } from '../../tips/reward-list.ts';
import { rewardIndexPartition } from '../../tips/reward-statistics.ts';
import { type TipState, tipInboxPartition } from '../../tips/tip-state.ts';
import { countPartition, queryIndexPage, readPartition, recordIdsByStatus } from './index-page.ts';

/** The inbox from gsi1 (TIPS#<jurisdiction>#<status>, newest first): a Query, never a Scan. */
export class DynamoTipInbox implements TipInbox {
  private readonly documents: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(documents: DynamoDBDocumentClient, tableName: string) {
    this.documents = documents;
    this.tableName = tableName;
  }

  list(query: Parameters<TipInbox['list']>[0]) {
    return queryIndexPage(this.documents, {
      tableName: this.tableName,
      indexName: 'gsi1',
      partition: tipInboxPartition(query.jurisdiction, query.status),
      limit: query.limit,
      ...(query.cursor ? { cursor: query.cursor } : {}),
      pick: (item) => item.state as TipState,
    });
  }

  async samePlace(query: Parameters<TipInbox['samePlace']>[0]) {
    const { Items = [] } = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: query.index,
        KeyConditionExpression: `${query.index}pk = :pk`,
        ExpressionAttributeValues: { ':pk': query.partition },
        ScanIndexForward: false,
        Limit: query.limit,
      }),
    );
    return Items.map((item) => item.state as TipState);
  }

  count(query: Parameters<TipInbox['count']>[0]) {
    return countPartition(
      this.documents,
      this.tableName,
      tipInboxPartition(query.jurisdiction, query.status),
    );
  }

  /** The index item is the tip's state item (gsi1 projects ALL): nothing to backfill. */
  async rewardEntries(query: Parameters<TipInbox['rewardEntries']>[0]) {
    const projection =
      '#s.#tipId, #s.#receivedAt, #s.#address, #s.#finding, #s.#outcome.#kind, ' +
      '#s.#reward.#amountFen, #s.#reward.#computedByName, #s.#reward.#approvedBy, ' +
      '#s.#outcome.#noticeDueBy, #s.#rewardNotice.#reward_notice_overdue';
    const items = await readPartition(this.documents, {
      tableName: this.tableName,
      partition: tipInboxPartition(query.jurisdiction, query.status),
      projection,
      names: placeholderNames(projection),
    });
    return items.map((item) => {
      const state = item.state as Omit<RewardDeskEntry, 'outcomeKind' | 'noticeDueBy'> & {
        outcome?: { kind: RewardDeskEntry['outcomeKind']; noticeDueBy?: string };
      };
      const { outcome, ...rest } = state;
      return {
        ...rest,
        ...(outcome?.kind ? { outcomeKind: outcome.kind } : {}),
        ...(outcome?.noticeDueBy ? { noticeDueBy: outcome.noticeDueBy } : {}),
      };
    });
  }

  /**
   * The approved rewards of a jurisdiction not yet paid nor lapsed, from the money
   * statistics' gsi2 partition (REWARDS#<code>): the claim's method and time, never its
   * code or sealed bank details. The filter only trims what comes back; the partition is
   * bounded by the rewards approved, never by the tips.
   */
  async rewardClaimEntries(query: Parameters<TipInbox['rewardClaimEntries']>[0]) {
    const reward = ['amountFen', 'shares', 'approvedAt', 'claimBy', 'lapsedAt']
      .map((name) => `#s.#reward.#${name}`)
      .concat(['#s.#reward.#claim.#method', '#s.#reward.#claim.#claimedAt']);
    const projection = ['#s.#tipId', '#s.#receivedAt', '#s.#address', ...reward].join(', ');
    const items = await readPartition(this.documents, {
      tableName: this.tableName,
      indexName: 'gsi2',
      partition: rewardIndexPartition(query.jurisdiction),
      projection,
      filter:
        'attribute_not_exists(#s.#reward.#payment) AND attribute_not_exists(#s.#reward.#lapsedAt)',
      names: placeholderNames(`${projection} #s.#reward.#payment`),
    });
    return items.map((item) => item.state as RewardClaimDeskEntry);
  }

  /**
   * One whole partition, projected to the matter, the case result's figures and the
   * reward's standing: gsi1 TIPS#<code>#<status>, or gsi2 REWARDS#<code> for `approved`.
   */
  async rewardListEntries(query: Parameters<TipInbox['rewardListEntries']>[0]) {
    const reward = ['amountFen', 'shares', 'approvedAt', 'claimBy', 'lapsedAt']
      .map((name) => `#s.#reward.#${name}`)
      .concat(['#s.#reward.#claim.#method', '#s.#reward.#claim.#claimedAt'])
      .concat(['#s.#reward.#payment.#paidOn']);
    const outcome = ['kind', 'fineYuan', 'deaths', 'accidentGrade'].map(
      (name) => `#s.#outcome.#${name}`,
    );
    const matter = ['tipId', 'receivedAt', 'address', 'enterprise', 'finding'].map(
      (name) => `#s.#${name}`,
    );
    const projection = [...matter, ...outcome, ...reward].join(', ');
    const items = await readPartition(this.documents, {
      tableName: this.tableName,
      ...(query.from === 'approved'
        ? { indexName: 'gsi2', partition: rewardIndexPartition(query.jurisdiction) }
        : { partition: tipInboxPartition(query.jurisdiction, query.from) }),
      projection,
      names: placeholderNames(projection),
    });
    return items.map((item) => item.state as RewardListEntry);
  }
}

/**
 * The attribute names of an expression's placeholders: `#name` stands for `name`, `#s` for
 * the stored `state` (every name goes through one: some are DynamoDB reserved words).
 */
function placeholderNames(expression: string): Record<string, string> {
  const names = [...expression.matchAll(/#(\w+)/g)].map(([placeholder, name]) => [
    placeholder,
    name === 's' ? 'state' : name,
  ]);
  return Object.fromEntries(names);
}

/** Tips whose time limits still run (acceptance, verification, feedback). */
const liveTipStatuses = [
  'received',
  'accepted',
  'investigating',
  'substantiated',
  'unsubstantiated',
] as const;

/** The inbox's index: every tip whose lifecycle has a timer, to resume after a restart. */
export function liveTipIds(
  documents: DynamoDBDocumentClient,
  tableName: string,
  jurisdictions: readonly string[],
): Promise<string[]> {
  return recordIdsByStatus(documents, tableName, tipInboxPartition, jurisdictions, liveTipStatuses);
}
