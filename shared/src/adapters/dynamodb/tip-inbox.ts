import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TipInbox } from '../../tips/inbox.ts';
import type { RewardDeskEntry } from '../../tips/reward-desk.ts';
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

  count(query: Parameters<TipInbox['count']>[0]) {
    return countPartition(
      this.documents,
      this.tableName,
      tipInboxPartition(query.jurisdiction, query.status),
    );
  }

  /** The index item is the tip's state item (gsi1 projects ALL): nothing to backfill. */
  async rewardEntries(query: Parameters<TipInbox['rewardEntries']>[0]) {
    const items = await readPartition(this.documents, {
      tableName: this.tableName,
      partition: tipInboxPartition(query.jurisdiction, query.status),
      // Every name through a placeholder: some (state…) are DynamoDB reserved words.
      projection:
        '#s.#tipId, #s.#receivedAt, #s.#address, #s.#finding, #s.#outcome.#kind, ' +
        '#s.#reward.#amountFen, #s.#reward.#computedByName, #s.#reward.#approvedBy',
      names: Object.fromEntries(
        [
          'tipId',
          'receivedAt',
          'address',
          'finding',
          'outcome',
          'kind',
          'reward',
          'amountFen',
          'computedByName',
          'approvedBy',
        ]
          .map((name) => [`#${name}`, name])
          .concat([['#s', 'state']]),
      ),
    });
    return items.map((item) => {
      const state = item.state as Omit<RewardDeskEntry, 'outcomeKind'> & {
        outcome?: { kind: RewardDeskEntry['outcomeKind'] };
      };
      const { outcome, ...rest } = state;
      return { ...rest, ...(outcome?.kind ? { outcomeKind: outcome.kind } : {}) };
    });
  }
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
