import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type NewEvent, type RecordedEvent, sealEvent } from '../../event-log/event-log.ts';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  Projection,
  Snapshot,
} from '../../event-log/event-store.ts';
import { jsonBytes, maxStateBytes, RecordFull } from '../../event-log/record-size.ts';
import { changeIndexOf } from './recent-changes.ts';
import { applyTally, onlyDeferred } from './tally.ts';

const stateKey = 'STATE';
const eventKey = (sequence: number) => `E#${String(sequence).padStart(10, '0')}`;

interface StateItem {
  pk: string;
  sk: string;
  state: unknown;
  version: number;
  head: string;
  idempotencyKeys: string[];
}

/**
 * Event logs in one DynamoDB table: events under `E#<sequence>` and the derived state
 * under `STATE`, both in the record's partition. Works the same on dynalite.
 */
export class DynamoEventStore implements EventStore {
  private readonly documents: DynamoDBDocumentClient;
  private readonly tableName: string;
  /** Whether a load that finds the state behind its log writes the repair (see repairsFrom). */
  private readonly repairs: (stream: string) => boolean;

  constructor(
    documents: DynamoDBDocumentClient,
    tableName: string,
    options: { repairs?: (stream: string) => boolean } = {},
  ) {
    this.documents = documents;
    this.tableName = tableName;
    this.repairs = options.repairs ?? (() => true);
  }

  async read(stream: string): Promise<RecordedEvent[]> {
    return this.eventsAfter(stream, 0);
  }

  /** One strongly consistent Query of one item: the log's first slot. */
  async firstEvent(stream: string): Promise<RecordedEvent | null> {
    const { Items = [] } = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk = :first',
        ExpressionAttributeValues: { ':pk': stream, ':first': eventKey(1) },
        ConsistentRead: true,
      }),
    );
    return Items[0] ? eventOf(Items[0]) : null;
  }

  /**
   * One strongly consistent Query, newest first, of the keys from `E#` to `STATE`: the
   * state item and the last event beside it (`E#…` sorts just before `STATE`; nothing else
   * on a record's partition sorts between them). When the last event is the state's
   * version, that is all; events the state has not caught up with (an append that stopped
   * between its writes) are folded on and the repair written.
   */
  async load<State>(
    stream: string,
    projection: Projection<State>,
  ): Promise<Snapshot<State> | null> {
    const { Items = [] } = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :first AND :state',
        ExpressionAttributeValues: { ':pk': stream, ':first': 'E#', ':state': stateKey },
        ScanIndexForward: false,
        Limit: 2,
        ConsistentRead: true,
      }),
    );
    const stored = Items[0]?.sk === stateKey ? (Items[0] as StateItem) : undefined;
    const last = Items[stored ? 1 : 0];
    let snapshot: Snapshot<State> | null = stored
      ? {
          stream,
          state: stored.state as State,
          version: stored.version,
          head: stored.head,
          idempotencyKeys: stored.idempotencyKeys ?? [],
        }
      : null;
    const version = snapshot?.version ?? 0;
    const lastSequence = last ? eventOf(last).sequence : 0;
    if (lastSequence <= version) return snapshot;
    // Events the state has not caught up with: an append that stopped between its writes.
    const newer =
      lastSequence === version + 1 && last
        ? [eventOf(last)]
        : await this.eventsAfter(stream, version);
    const behind = snapshot;
    for (const event of newer) snapshot = fold(stream, snapshot, event, projection);
    // A function that may not write this stream answers from the log and leaves the
    // repair to a writer (the appender itself, a later write, the reconciler).
    if (!this.repairs(stream)) return snapshot;
    await this.writeState(snapshot as Snapshot<State>, behind, projection).catch(
      ignoreConflictOrDenied,
    );
    return snapshot;
  }

  async append<State>(
    stream: string,
    expected: Snapshot<State> | null,
    event: NewEvent,
    projection: Projection<State>,
    options: AppendOptions = {},
  ): Promise<AppendResult<State>> {
    if (event.idempotencyKey && expected?.idempotencyKeys.includes(event.idempotencyKey)) {
      return { kind: 'duplicate', snapshot: expected };
    }
    const sealed = await sealEvent(
      stream,
      expected ? { sequence: expected.version, hash: expected.head } : null,
      event,
    );
    const snapshot = fold(stream, expected, sealed, projection);
    // Refused before the event is written: a state too big to store would break the record.
    const stateBytes = jsonBytes(stateItemOf(snapshot, projection));
    if (stateBytes > maxStateBytes) throw new RecordFull(stream, stateBytes);
    // A person's change goes on the index of recent changes: the reconciler's. So does a
    // change whose counting is left to its sweep.
    const countsOnly = deferredCounting(projection, expected, snapshot);
    const unplanned = projection.unplanned?.(sealed) ?? false;
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: stream,
            sk: eventKey(sealed.sequence),
            ...sealed,
            ...changeIndexOf(sealed, { countsOnly, unplanned }),
          },
          // The sequence slot must be free: of two concurrent appenders, one wins.
          ConditionExpression: 'attribute_not_exists(sk)',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const current = await this.load(stream, projection);
      if (
        current &&
        event.idempotencyKey &&
        current.idempotencyKeys.includes(event.idempotencyKey)
      ) {
        return { kind: 'duplicate', snapshot: current };
      }
      return { kind: 'conflict', current };
    }
    // The state item as it is: behind `expected` when the append before left it for this
    // one; none yet (null) for a record's first event, or when the first left it.
    const stored = !expected
      ? null
      : expected.stored !== undefined
        ? expected.stored
        : { version: expected.version, state: expected.state };
    if (options.stateLater) {
      return { kind: 'appended', snapshot: { ...snapshot, stored }, event: sealed };
    }
    // A record's first event left its state item for this one: a writer's load in between
    // may have written it from the log, at the first event's version; this one goes on it.
    const repairedAt = stored === null && expected ? expected.version : undefined;
    // If this fails, a load in between has already repaired the state from the log.
    await this.writeState(snapshot, stored, projection, repairedAt).catch(ignoreConflict);
    return { kind: 'appended', snapshot, event: sealed };
  }

  private async writeState<State>(
    snapshot: Snapshot<State>,
    previous: { version: number; state: State } | null,
    projection: Projection<State>,
    /** With no previous item: or over one a load wrote from the log at this version. */
    repairedAt?: number,
  ): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: stateItemOf(snapshot, projection),
        ...(previous
          ? {
              ConditionExpression: 'version = :previous',
              ExpressionAttributeValues: { ':previous': previous.version },
            }
          : repairedAt !== undefined
            ? {
                ConditionExpression: 'attribute_not_exists(pk) OR version = :repaired',
                ExpressionAttributeValues: { ':repaired': repairedAt },
              }
            : { ConditionExpression: 'attribute_not_exists(pk)' }),
      }),
    );
    // The counters follow the state. A failure here leaves the state written and the
    // counter behind: the next write of the record, or the reconciler, moves it on.
    if (projection.tally && (previous || !projection.tally.deferFirst)) {
      await applyTally(
        this.documents,
        this.tableName,
        projection.tally,
        snapshot.stream,
        snapshot.state,
        snapshot.version,
        previous,
      ).catch(() => undefined);
    }
  }

  private async eventsAfter(stream: string, sequence: number): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': stream,
            ':from': eventKey(sequence + 1),
            ':to': 'E#9',
          },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) events.push(eventOf(item));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return events;
  }
}

/** The state item of a snapshot: the record's state, its version, head and indexes. */
function stateItemOf<State>(snapshot: Snapshot<State>, projection: Projection<State>) {
  return {
    pk: snapshot.stream,
    sk: stateKey,
    state: snapshot.state,
    version: snapshot.version,
    head: snapshot.head,
    idempotencyKeys: [...snapshot.idempotencyKeys],
    ...projection.indexes?.(snapshot.state),
  };
}

/** An event item as the event it stores (without its keys and its index attributes). */
function eventOf(item: Record<string, unknown>): RecordedEvent {
  const {
    pk: _pk,
    sk: _sk,
    gsi1pk: _index,
    gsi1sk: _indexKey,
    countsOnly: _countsOnly,
    ...event
  } = item;
  return event as unknown as RecordedEvent;
}

function fold<State>(
  stream: string,
  snapshot: Snapshot<State> | null,
  event: RecordedEvent,
  projection: Projection<State>,
): Snapshot<State> {
  return {
    stream,
    state: projection.apply(snapshot?.state ?? null, event),
    version: event.sequence,
    head: event.hash,
    idempotencyKeys: event.idempotencyKey
      ? [...(snapshot?.idempotencyKeys ?? []), event.idempotencyKey]
      : [...(snapshot?.idempotencyKeys ?? [])],
  };
}

function ignoreConflictOrDenied(error: unknown): void {
  if ((error as { name?: string } | null)?.name === 'AccessDeniedException') return;
  ignoreConflict(error);
}

function ignoreConflict(error: unknown): void {
  if (!(error instanceof ConditionalCheckFailedException)) throw error;
}

/**
 * Which streams a function repairs, from its RECORD_REPAIRS setting: unset or '*' all,
 * '' none, else comma-separated patterns of partition keys (`TIP#*`), as its grant says.
 */
export function repairsFrom(setting: string | undefined): (stream: string) => boolean {
  if (setting === undefined || setting.trim() === '*') return () => true;
  const patterns = setting
    .split(',')
    .map((pattern) => pattern.trim())
    .filter(Boolean)
    .map(
      (pattern) =>
        new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`),
    );
  return (stream) => patterns.some((pattern) => pattern.test(stream));
}

/** Whether this write moves deferred cells alone (Tally.deferredCell): the sweep counts it. */
function deferredCounting<State>(
  projection: Projection<State>,
  before: Snapshot<State> | null,
  after: Snapshot<State>,
): boolean {
  const tally = projection.tally;
  if (!tally?.deferredCell || !before) return false;
  const deltas = tally.deltas(
    tally.of(before.state, before.version).code,
    tally.of(after.state, after.version).code,
  );
  return Object.keys(deltas).length > 0 && onlyDeferred(tally, deltas);
}
