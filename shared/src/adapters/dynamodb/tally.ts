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
 * Step b also waits out a rebuild of the counter (hazard-statistics.ts `rebuild`): while a
 * counter item holds `fence`, no count lands on it; the move stays claimed on its marker,
 * and the rebuild, or the reconciler after it, finishes it.
 */
export const tallyMarkerKey = 'TALLY';
/** The counter item's attribute a rebuild raises while it recomputes the item. */
export const tallyFence = 'fence';

interface Target {
  partition: string;
  sort: string;
  member: string;
}

type Documents = DynamoDBDocumentClient;
type Key = { pk: string; sk: string };

/** One conditional UpdateItem (names: #code #next #pending #counts, #m the member). */
const update = (
  documents: Documents,
  TableName: string,
  Key: Key,
  expression: string,
  condition: string,
  values: Record<string, unknown>,
  more: Record<string, string> = {},
) =>
  documents.send(
    new UpdateCommand({
      TableName,
      Key,
      UpdateExpression: expression,
      ConditionExpression: condition,
      ExpressionAttributeNames: Object.fromEntries(
        Object.entries({
          '#code': 'code',
          '#next': 'next',
          '#pending': 'pending',
          '#counts': 'counts',
          '#fence': tallyFence,
          ...more,
        }).filter(([name]) => `${expression} ${condition}`.includes(name)),
      ),
      ExpressionAttributeValues: values,
    }),
  );

export async function applyTally<State>(
  documents: Documents,
  tableName: string,
  tally: Tally<State>,
  stream: string,
  state: State,
  version: number,
  previous: { state: State; version: number } | { code: string } | null,
): Promise<'moved' | 'current'> {
  const next = tally.of(state, version);
  const marker = { pk: stream, sk: tallyMarkerKey };
  // What the record was counted as: its previous state's code, or the marker's as read.
  let expected: string | null = !previous
    ? null
    : 'code' in previous
      ? previous.code
      : tally.of(previous.state, previous.version).code;
  // Most writes (messages, look-back dates) leave the cells as they were: nothing to move.
  // The marker keeps an older version of the same cells, which is as good. A move of
  // deferred cells alone (an escalation step's day) is the reconciler's: a later move
  // starts from the marker's code, so it carries them too.
  const onWritePath = previous !== null && !('code' in previous);
  if (onWritePath && onlyDeferred(tally, tally.deltas(expected as string, next.code))) {
    return 'current';
  }
  let moved = false;
  for (let attempt = 0; attempt < 8; attempt += 1) {
    // Counted as this version or a later one (codes sort by version): a stale write stops.
    if (expected !== null && expected >= next.code) return moved ? 'moved' : 'current';
    try {
      await update(
        documents,
        tableName,
        marker,
        'SET #next = :next',
        `${expected === null ? 'attribute_not_exists(#code)' : '#code = :old'} AND attribute_not_exists(#next)`,
        { ':next': next.code, ...(expected === null ? {} : { ':old': expected }) },
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const stored = await tallyMarker(documents, tableName, stream);
      if (stored.next) {
        // Another move is under way (or stopped half-way): finish it first.
        await finish(documents, tableName, tally, marker, next, stored.code, stored.next);
        moved = true;
      }
      expected = stored.next ?? stored.code;
      continue;
    }
    await finish(documents, tableName, tally, marker, next, expected, next.code);
    return 'moved';
  }
  throw new Error(`tally ${stream}`);
}

/** No cell moves, or only cells the tally defers to the reconciler. */
export function onlyDeferred<State>(tally: Tally<State>, deltas: Record<string, number>): boolean {
  return Object.keys(deltas).every((cell) => tally.deferredCell?.(cell) ?? false);
}

/** Steps b, c and d of a claimed move from `from` to `to`. */
async function finish<State>(
  documents: Documents,
  tableName: string,
  tally: Tally<State>,
  marker: Key,
  target: Target,
  from: string | null,
  to: string,
): Promise<void> {
  const bucket = { pk: target.partition, sk: target.sort };
  const member = { '#m': target.member };
  // b. The cells move and the member is pending with its new code, once. A member left
  // pending by the move before (its step d lost) holds that move's code.
  const values: Record<string, unknown> = { ':to': to };
  const cells: Record<string, string> = { ...member };
  let expression = 'SET #pending.#m = :to';
  Object.entries(tally.deltas(from, to)).forEach(([cell, delta], index) => {
    values[':zero'] = 0;
    values[`:d${index}`] = delta;
    cells[`#c${index}`] = cell;
    expression += `, #counts.#c${index} = if_not_exists(#counts.#c${index}, :zero) + :d${index}`;
  });
  let condition = 'attribute_not_exists(#pending.#m)';
  if (from !== null) {
    values[':from'] = from;
    condition += ' OR #pending.#m = :from';
  }
  condition = `(${condition}) AND attribute_not_exists(#fence)`;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      await update(documents, tableName, bucket, expression, condition, values, cells);
      break;
    } catch (error) {
      if (/document path/i.test((error as Error).message)) {
        // The bucket's first member: make the item (a racing maker is as good).
        await documents
          .send(
            new PutCommand({
              TableName: tableName,
              Item: { ...bucket, counts: {}, pending: {} },
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          )
          .catch(ignoreConflict);
        continue;
      }
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // Pending with the new code already: this step was done before (a repeat).
      const { Item } = await documents.send(
        new GetCommand({ TableName: tableName, Key: bucket, ConsistentRead: true }),
      );
      if ((Item?.pending as Record<string, string>)?.[target.member] === to) break;
      if (Item?.[tallyFence])
        throw new Error(`tally ${target.member}: its counter is being rebuilt`);
      throw new Error(`tally ${target.member}`);
    }
  }
  // c. The marker settles; d. the member is no longer pending.
  const settled = { ':to': to };
  await update(
    documents,
    tableName,
    marker,
    'SET #code = :to REMOVE #next',
    '#next = :to',
    settled,
  ).catch(ignoreConflict);
  await update(
    documents,
    tableName,
    bucket,
    'REMOVE #pending.#m',
    '#pending.#m = :to',
    settled,
    member,
  ).catch(ignoreConflict);
}

/** What a record was last counted as (its marker), and whether a move is under way. */
export async function tallyMarker(
  documents: Documents,
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

function ignoreConflict(error: unknown): void {
  if (!(error instanceof ConditionalCheckFailedException)) throw error;
}
