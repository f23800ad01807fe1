import { appendWithRetry } from '../event-log/append-with-retry.ts';
import type { Actor, NewEvent } from '../event-log/event-log.ts';
import type { EventStore, Projection, Snapshot } from '../event-log/event-store.ts';
import { refuseReusedKey, requestDigest } from '../event-log/idempotency.ts';

export type DecisionOutcome<State> =
  | { kind: 'done'; snapshot: Snapshot<State>; duplicate: boolean }
  /** Someone else acted first: here is the record as it is now; nothing was written. */
  | { kind: 'conflict'; current: Snapshot<State> }
  | { kind: 'not_found' };

/**
 * A person's decision on a record (a hazard, a tip): checked against the record as it is,
 * appended as one event, then the record's workflow is woken. With `expectedRevision` (an
 * officer acting on what they saw) a decision taken meanwhile by someone else is a
 * conflict; the workflow's own bookkeeping does not count. Without it (a system caller)
 * the decision is made again on the new state. The idempotency key makes a retried
 * request a no-op.
 */
export async function decideOnRecord<State extends { revision: number }>(request: {
  events: EventStore;
  stream: string;
  projection: Projection<State>;
  idempotencyKey: string;
  actor: Actor;
  now: () => Date;
  expectedRevision?: number;
  /** The event the decision stands for; throws when the record's rules refuse it. */
  decide: (state: State, now: Date) => Omit<NewEvent, 'at' | 'actor' | 'idempotencyKey'>;
  wake: () => Promise<void>;
}): Promise<DecisionOutcome<State>> {
  const loaded = await request.events.load(request.stream, request.projection);
  const seen = (snapshot: Snapshot<State>) =>
    snapshot.idempotencyKeys.includes(request.idempotencyKey);
  const outcome = await appendWithRetry(
    request.events,
    request.projection,
    loaded,
    (snapshot) => {
      if (seen(snapshot)) return null;
      if (
        request.expectedRevision !== undefined &&
        request.expectedRevision !== snapshot.state.revision
      ) {
        return null;
      }
      const now = request.now();
      return {
        ...request.decide(snapshot.state, now),
        at: now.toISOString(),
        actor: request.actor,
        idempotencyKey: request.idempotencyKey,
      };
    },
    { attempts: 5 },
  );
  switch (outcome.kind) {
    case 'missing':
      return { kind: 'not_found' };
    case 'exhausted':
      return { kind: 'conflict', current: outcome.current };
    case 'declined':
      return seen(outcome.snapshot)
        ? { kind: 'done', snapshot: outcome.snapshot, duplicate: true }
        : { kind: 'conflict', current: outcome.snapshot };
    default:
      await request.wake();
      return { kind: 'done', snapshot: outcome.snapshot, duplicate: outcome.kind === 'duplicate' };
  }
}

/**
 * A person's command on a record (a hazard's, a tip's): decideOnRecord, with the command's
 * digest on its event (its data may hold what was computed when it was given, deadlines),
 * so that a key reused for another command is told from a retry (IdempotencyKeyReused).
 */
export async function giveRecordCommand<State extends { revision: number }>(
  request: Parameters<typeof decideOnRecord<State>>[0] & { command: unknown },
): Promise<DecisionOutcome<State>> {
  const digest = await requestDigest(request.command);
  const outcome = await decideOnRecord({
    ...request,
    decide: (state, now) => ({ ...request.decide(state, now), requestDigest: digest }),
  });
  if (outcome.kind === 'done' && outcome.duplicate) {
    await refuseReusedKey(request.events, request.stream, request.idempotencyKey, digest);
  }
  return outcome;
}
