import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  type RewardEntry,
  rewardEntryOf,
  rewardIndexPartition,
} from '../../tips/reward-statistics.ts';
import type { TipState } from '../../tips/tip-state.ts';

/**
 * The approved rewards of these jurisdictions, from their gsi2 partitions (REWARDS#<code>):
 * a Query per jurisdiction, paged, reading the reward and the jurisdiction of each state
 * only. Bounded by the rewards approved, never by the tips. `onRead` counts the requests.
 */
export async function readRewardEntries(
  documents: DynamoDBDocumentClient,
  tableName: string,
  jurisdictions: readonly string[],
  onRead: () => void = () => {},
): Promise<RewardEntry[]> {
  const read = async (jurisdiction: string): Promise<RewardEntry[]> => {
    const entries: RewardEntry[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      onRead();
      const page = await documents.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :pk',
          ExpressionAttributeValues: { ':pk': rewardIndexPartition(jurisdiction) },
          ProjectionExpression: '#state.#reward, #state.#jurisdiction',
          ExpressionAttributeNames: {
            '#state': 'state',
            '#reward': 'reward',
            '#jurisdiction': 'jurisdiction',
          },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const entry = rewardEntryOf(item.state as TipState);
        if (entry) entries.push(entry);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return entries;
  };
  return (await Promise.all(jurisdictions.map(read))).flat();
}
