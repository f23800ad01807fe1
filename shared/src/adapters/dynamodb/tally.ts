import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Tally } from '../../event-log/event-store.ts';

/**
 * A counter item: `{pk, sk, members: {<member>: <code>}, counts: {<cell>: <n>}}`. One
 * UpdateItem sets a member's new code and moves its counts, on the condition that the
 * member's stored code is the one the counts were moved for: a single-item write is
 * atomic, so no transaction. A retry finds its code already there and does nothing; a
 * stale (older) write finds a newer code and does nothing; a write that finds an older
 * code than it expected (a crash lost an update) moves from what is there instead.
 */
export async function applyTally<State>(
  documents: DynamoDBDocumentClient,
  tableName: string,
  tally: Tally<State>,
  state: State,
  version: number,
  previous: { state: State; version: number } | null,
): Promise<'moved' | 'current'> {
  const next = tally.of(state, version);
  let expected: string | null = previous ? tally.of(previous.state, previous.version).code : null;
  for (let attempt = 0; attempt < 6; attempt += 1) {
    if (expected === next.code) return 'current';
    try {
      await moveMember(documents, tableName, next, expected, tally.deltas(expected, next.code));
      return 'moved';
    } catch (error) {
      if (isMissingMap(error)) {
        // The bucket's first member: make the item (once; a racing maker is as good).
        await documents
          .send(
            new PutCommand({
              TableName: tableName,
              Item: { pk: next.partition, sk: next.sort, members: {}, counts: {} },
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          )
          .catch(ignoreConflict);
        continue;
      }
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const stored = await storedCode(documents, tableName, next);
      // Already as new as this write (a retry, or a later write went first): nothing to do.
      if (stored !== null && stored >= next.code) return 'current';
      expected = stored;
    }
  }
  throw new Error(`counter ${next.partition} ${next.sort}: member ${next.member} kept changing`);
}

async function moveMember(
  documents: DynamoDBDocumentClient,
  tableName: string,
  next: { partition: string; sort: string; member: string; code: string },
  expected: string | null,
  deltas: Record<string, number>,
): Promise<void> {
  const names: Record<string, string> = { '#members': 'members', '#m': next.member };
  const values: Record<string, unknown> = { ':code': next.code };
  const sets = ['#members.#m = :code'];
  Object.entries(deltas).forEach(([cell, delta], index) => {
    names['#counts'] = 'counts';
    names[`#c${index}`] = cell;
    values[`:d${index}`] = delta;
    values[':zero'] = 0;
    sets.push(`#counts.#c${index} = if_not_exists(#counts.#c${index}, :zero) + :d${index}`);
  });
  if (expected !== null) values[':expected'] = expected;
  await documents.send(
    new UpdateCommand({
      TableName: tableName,
      Key: { pk: next.partition, sk: next.sort },
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression:
        expected === null ? 'attribute_not_exists(#members.#m)' : '#members.#m = :expected',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    }),
  );
}

async function storedCode(
  documents: DynamoDBDocumentClient,
  tableName: string,
  at: { partition: string; sort: string; member: string },
): Promise<string | null> {
  const { Item } = await documents.send(
    new GetCommand({
      TableName: tableName,
      Key: { pk: at.partition, sk: at.sort },
      ProjectionExpression: '#members.#m',
      ExpressionAttributeNames: { '#members': 'members', '#m': at.member },
      ConsistentRead: true,
    }),
  );
  const members = Item?.members as Record<string, string> | undefined;
  return members?.[at.member] ?? null;
}

/** The bucket item (or its maps) does not exist yet: DynamoDB refuses a nested path. */
function isMissingMap(error: unknown): boolean {
  const { name, message } = (error ?? {}) as { name?: string; message?: string };
  return name === 'ValidationException' && /document path/i.test(message ?? '');
}

function ignoreConflict(error: unknown): void {
  if (!(error instanceof ConditionalCheckFailedException)) throw error;
}

/** What a member's code in its counter item is, and what it should be (reconciler, tests). */
export async function tallyStanding<State>(
  documents: DynamoDBDocumentClient,
  tableName: string,
  tally: Tally<State>,
  state: State,
  version: number,
): Promise<{ stored: string | null; expected: string }> {
  const next = tally.of(state, version);
  return { stored: await storedCode(documents, tableName, next), expected: next.code };
}
