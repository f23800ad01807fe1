import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { RecordedEvent } from '../../event-log/event-log.ts';
import type { RecentChange } from '../../workflow/reconcile.ts';

/**
 * The index of recent changes (gsi1 on event items): every event a person, a tipster or an
 * enterprise wrote, by the hour it was written in. A record's lifecycle must see each
 * such change (it is woken right after the write); the reconciler reads the last hours of
 * this index to find a change whose wake-up was lost (a crash between the write and the
 * wake, or between a record's first event and its state). The lifecycle's own events are
 * left out: they need no wake-up. An hour's partition holds that hour's decisions, and
 * changes that wake nothing but whose counters the sweep checks (`countsOnly`): the
 * lifecycle's events whose counting the store left to the sweep (an escalation step's day,
 * see Tally.deferredCell), and what no lifecycle plans from (Projection.unplanned: a
 * message, a photo).
 */
export function changeIndexOf(
  event: Pick<RecordedEvent, 'stream' | 'sequence' | 'at' | 'actor'>,
  { countsOnly = false, unplanned = false }: { countsOnly?: boolean; unplanned?: boolean } = {},
) {
  if (event.actor.kind === 'system' && !countsOnly) return {};
  return {
    gsi1pk: changesPartition(new Date(event.at)),
    gsi1sk: `${event.at}#${event.stream}#${String(event.sequence).padStart(10, '0')}`,
    ...(event.actor.kind === 'system' || unplanned ? { countsOnly: true } : {}),
  };
}

const changesPartition = (at: Date) => `CHANGES#${at.toISOString().slice(0, 13)}`;
const hourMs = 3600 * 1000;

/** The changes written from `from` to `to` (both inclusive), oldest first: Queries only. */
export async function* recentChanges(
  documents: DynamoDBDocumentClient,
  tableName: string,
  from: Date,
  to: Date,
): AsyncGenerator<RecentChange> {
  // An empty window (a sweep right after one that looked further ahead) reads nothing.
  if (from.getTime() > to.getTime()) return;
  const firstHour = Math.floor(from.getTime() / hourMs) * hourMs;
  for (let hour = firstHour; hour <= to.getTime(); hour += hourMs) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await documents.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': changesPartition(new Date(hour)),
            ':from': from.toISOString(),
            // Every key of the instant `to` itself sorts below this.
            ':to': `${to.toISOString()}#\uffff`,
          },
          ProjectionExpression: 'pk, #sequence, #at, countsOnly',
          ExpressionAttributeNames: { '#sequence': 'sequence', '#at': 'at' },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        yield {
          stream: String(item.pk),
          sequence: Number(item.sequence),
          at: String(item.at),
          ...(item.countsOnly === true ? { countsOnly: true } : {}),
        };
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }
}
