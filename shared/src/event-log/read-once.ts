import type { EventStore, Snapshot } from './event-store.ts';

/**
 * The store, with a record just read handed back for its next load instead of reading it
 * again: a request whose scope check read the record (to know its jurisdiction) gives its
 * decision that read. Safe because every write is conditional on the version it was
 * decided on: a change made in between conflicts, and the decision is made again on a
 * fresh read. Only the first load of that stream is answered so; the rest go to the store.
 */
export function withRecordJustRead(store: EventStore, known: Snapshot<unknown>): EventStore {
  let unused: Snapshot<unknown> | undefined = known;
  return {
    load: async (stream, projection) => {
      if (unused?.stream === stream) {
        const snapshot = unused;
        unused = undefined;
        return snapshot as Awaited<ReturnType<typeof store.load<never>>>;
      }
      return store.load(stream, projection);
    },
    read: (stream) => store.read(stream),
    firstEvent: (stream) => store.firstEvent(stream),
    append: (stream, expected, event, projection, options) =>
      store.append(stream, expected, event, projection, options),
  };
}
