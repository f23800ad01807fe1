import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Tally } from '../../event-log/event-store.ts';

/**
 * Counters beside the states, without transactions, and read at a cost that does not grow
 * with the members: the counter item holds only the count cells (and the few members whose
 * move is under way); what each member was counted as lives on the record's own partition,
 * a marker item `{pk: <stream>, sk: TALLY, code, next?}`. A move is four single-item
 * conditional writes, each safe to repeat, and a crash after any of them is finished by
 * the next write of the record or by the reconciler:
 *  a. claim: the marker's `next` := new code, if its `code` is the old one and no move is
 *     under way (so a record's moves happen one at a time, in version order);
 *  b. count: the counter's cells += the deltas and `pending[member]` := new code, if the
 *     member is not pending there with another code (a repeat finds its own code: done);
 *  c. settle: the marker's `code` := new code, `next` removed;
 *  d. clear: `pending[member]` removed from the counter.
 * Seeing a marker with `next`: the counter's `pending[member]` says whether b happened.
 */
export const tallyMarkerKey = 'TALLY';

interface Target {
  partition: string;
  sort: string;
  member: string;
}

export async function applyTally<State>(
  documents: DynamoDBDocumentClient,
  tableName: string,
  tally: Tally<State>,
  stream: string,
  state: State,
  version: number,
  previous: { state: State; version: number } | null,
): Promise<'moved' | 'current'> {
  const next = tally.of(state, version);
  let expected: string | null = previous ? tally.of(previous.state, previous.version).code : null;
  // Most writes (escalation steps, messages, look-back dates) leave the cells as they were:
  // nothing to move. The marker keeps an older version of the same cells, which is as good.
  if (expected !== null && Object.keys(tally.deltas(expected, next.code)).length === 0) {
    return 'current';
  }
  let moved = false;
  for (let attempt = 0; attempt < 8; attempt += 1) {
    // Counted as this version or a later one (codes sort by version): a stale write stops.
    if (expected !== null && expected >= next.code) return moved ? 'moved' : 'current';
    try {
      await documents.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { pk: stream, sk: tallyMarkerKey },
          UpdateExpression: 'SET #next = :next',
          ConditionExpression: `${expected === null ? 'attribute_not_exists(#code)' : '#code = :expected'} AND attribute_not_exists(#next)`,
          ExpressionAttributeNames: { '#code': 'code', '#next': 'next' },
          ExpressionAttributeValues: {
            ':next': next.code,
            ...(expected === null ? {} : { ':expected': expected }),
          },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const marker = await markerOf(documents, tableName, stream);
      if (marker.next) {
        // Another move is under way (or stopped half-way): finish it first.
        await finish(documents, tableName, tally, stream, next, marker.code, marker.next);
        moved = true;
        expected = marker.next;
        continue;
      }
      // Already counted as this version or a later one: nothing to do.
      if (marker.code !== null && marker.code >= next.code) return moved ? 'moved' : 'current';
      expected = marker.code;
      continue;
    }
    await finish(documents, tableName, tally, stream, next, expected, next.code);
    return 'moved';
  }
  throw new Error(`counter of ${stream} kept changing`);
}

/** Steps b, c and d of a claimed move from `from` to `to`. */
async function finish<State>(
  documents: DynamoDBDocumentClient,
  tableName: string,
  tally: Tally<State>,
  stream: string,
  target: Target,
  from: string | null,
  to: string,
): Promise<void> {
  await count(documents, tableName, target, from, to, tally.deltas(from, to));
  await documents
    .send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: stream, sk: tallyMarkerKey },
        UpdateExpression: 'SET #code = :to REMOVE #next',
        ConditionExpression: '#next = :to',
        ExpressionAttributeNames: { '#code': 'code', '#next': 'next' },
        ExpressionAttributeValues: { ':to': to },
      }),
    )
    .catch(ignoreConflict);
  await documents
    .send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: target.partition, sk: target.sort },
        UpdateExpression: 'REMOVE #pending.#m',
        ConditionExpression: '#pending.#m = :to',
        ExpressionAttributeNames: { '#pending': 'pending', '#m': target.member },
        ExpressionAttributeValues: { ':to': to },
      }),
    )
    .catch(ignoreConflict);
}

/** Step b: the cells move and the member is marked pending with its new code, once. */
async function count(
  documents: DynamoDBDocumentClient,
  tableName: string,
  target: Target,
  from: string | null,
  to: string,
  deltas: Record<string, number>,
): Promise<void> {
  const names: Record<string, string> = { '#pending': 'pending', '#m': target.member };
  const values: Record<string, unknown> = { ':to': to };
  const sets = ['#pending.#m = :to'];
  Object.entries(deltas).forEach(([cell, delta], index) => {
    names['#counts'] = 'counts';
    names[`#c${index}`] = cell;
    values[`:d${index}`] = delta;
    values[':zero'] = 0;
    sets.push(`#counts.#c${index} = if_not_exists(#counts.#c${index}, :zero) + :d${index}`);
  });
  // A member left pending by the move before (its step d lost) holds that move's code.
  if (from !== null) values[':from'] = from;
  const update = new UpdateCommand({
    TableName: tableName,
    Key: { pk: target.partition, sk: target.sort },
    UpdateExpression: `SET ${sets.join(', ')}`,
    ConditionExpression:
      from === null
        ? 'attribute_not_exists(#pending.#m)'
        : 'attribute_not_exists(#pending.#m) OR #pending.#m = :from',
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  });
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      await documents.send(update);
      return;
    } catch (error) {
      if (isMissingMap(error)) {
        // The bucket's first member: make the item (a racing maker is as good).
        await documents
          .send(
            new PutCommand({
              TableName: tableName,
              Item: { pk: target.partition, sk: target.sort, counts: {}, pending: {} },
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          )
          .catch(ignoreConflict);
        continue;
      }
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // Pending with the new code already: this step was done before (a repeat).
      if ((await pendingOf(documents, tableName, target)) === to) return;
      throw new Error(`counter ${target.partition} ${target.sort}: ${target.member} is pending`);
    }
  }
}

async function markerOf(
  documents: DynamoDBDocumentClient,
  tableName: string,
  stream: string,
): Promise<{ code: string | null; next: string | null }> {
  const { Item } = await documents.send(
    new GetCommand({
      TableName: tableName,
      Key: { pk: stream, sk: tallyMarkerKey },
      ConsistentRead: true,
    }),
  );
  return { code: (Item?.code as string) ?? null, next: (Item?.next as string) ?? null };
}

async function pendingOf(
  documents: DynamoDBDocumentClient,
  tableName: string,
  target: Target,
): Promise<string | null> {
  const { Item } = await documents.send(
    new GetCommand({
      TableName: tableName,
      Key: { pk: target.partition, sk: target.sort },
      ProjectionExpression: '#pending.#m',
      ExpressionAttributeNames: { '#pending': 'pending', '#m': target.member },
      ConsistentRead: true,
    }),
  );
  return ((Item?.pending as Record<string, string> | undefined)?.[target.member] as string) ?? null;
}

/** The bucket item (or its maps) does not exist yet: DynamoDB refuses a nested path. */
function isMissingMap(error: unknown): boolean {
  const { name, message } = (error ?? {}) as { name?: string; message?: string };
  return name === 'ValidationException' && /document path/i.test(message ?? '');
}

function ignoreConflict(error: unknown): void {
  if (!(error instanceof ConditionalCheckFailedException)) throw error;
}

/** What a record was last counted as (its marker), and whether a move is under way. */
export function tallyMarker(
  documents: DynamoDBDocumentClient,
  tableName: string,
  stream: string,
): Promise<{ code: string | null; next: string | null }> {
  return markerOf(documents, tableName, stream);
}
