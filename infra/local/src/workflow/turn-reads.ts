import { AsyncLocalStorage } from 'node:async_hooks';
import type { EventStore } from '@qingling/shared/event-log/event-store.ts';
import type { JurisdictionContactsSource } from '@qingling/shared/policies/policy-source.ts';

/**
 * Reads a lifecycle turn shares (issue 11's burst): a step's turn read the enterprise's
 * record once for its name and once more for each message's recipient as the outbox
 * resolved it (three Queries for the notice letter), and the jurisdiction's contact lists
 * once for each office recipient (two GetItems for the circular). Within one turn (a task
 * of the local runner, its messages included) those reads are made once and shared: the
 * messages of one step go out as the register stood when the step began to be delivered,
 * as if they had been resolved at that instant; the next turn reads again, so an edit still
 * reaches the next message. Only records the turn never writes are shared: the hazard
 * itself is read afresh before each delivery (a close withdraws what is not yet sent).
 *
 * Outside a turn (the handlers, the weekly reports) every read goes to the store. On AWS the
 * delivery function resolves each message on its own: this is the embedded cloud's runner.
 */
const turn = new AsyncLocalStorage<Map<string, Promise<unknown>>>();

/** Runs a lifecycle task as one turn: the reads below made in it are shared. */
export function asOneTurn<T>(work: () => Promise<T>): Promise<T> {
  return turn.run(new Map(), work);
}

/** The turn's read of `key`, made once; a failed read is not kept (a retry reads again). */
function sharedInTurn<T>(key: string, read: () => Promise<T>): Promise<T> {
  const reads = turn.getStore();
  if (!reads) return read();
  const earlier = reads.get(key) as Promise<T> | undefined;
  if (earlier) return earlier;
  const reading = read();
  reads.set(key, reading);
  reading.catch(() => reads.delete(key));
  return reading;
}

/** The event store, with loads of the streams `shared` names made once a turn. */
export function turnSharedEvents(
  events: EventStore,
  shared: (stream: string) => boolean,
): EventStore {
  return {
    load: (stream, projection) =>
      shared(stream)
        ? sharedInTurn(`load:${stream}`, () => events.load(stream, projection))
        : events.load(stream, projection),
    read: (stream) => events.read(stream),
    firstEvent: (stream) => events.firstEvent(stream),
    append: (stream, expected, event, projection, options) =>
      events.append(stream, expected, event, projection, options),
  };
}

/** A jurisdiction's contact lists, read once a turn. */
export function turnSharedContacts(source: JurisdictionContactsSource): JurisdictionContactsSource {
  return {
    jurisdictionContacts: (jurisdiction) =>
      sharedInTurn(`contacts:${jurisdiction}`, () => source.jurisdictionContacts(jurisdiction)),
  };
}
