/**
 * How much one record may hold. A record's state is one item, rewritten whole on every
 * append, and DynamoDB refuses an item over 400 KB: a state that grew past it could no
 * longer be written, and every later load would try to repair it and fail, so the record
 * would be stuck for good (an enterprise sending progress notes, a tipster sending
 * messages, found by an attack test). The store refuses an append whose state would pass
 * `maxStateBytes` before it writes the event; the parties outside the office are kept far
 * below it by their own budgets (tips/messages, hazards' enterprise updates), so that the
 * office can always go on with the record.
 */
export const maxStateBytes = 300 * 1024;

/** An append refused because the record's state would no longer fit in one item. */
export class RecordFull extends Error {
  readonly stream: string;
  readonly bytes: number;
  constructor(stream: string, bytes: number) {
    super(`The state of ${stream} would be ${bytes} bytes (at most ${maxStateBytes})`);
    this.name = 'RecordFull';
    this.stream = stream;
    this.bytes = bytes;
  }
}

const encoder = new TextEncoder();

/** The UTF-8 bytes of a value as JSON: at least what DynamoDB counts for it as an item. */
export const jsonBytes = (value: unknown): number =>
  encoder.encode(JSON.stringify(value) ?? '').length;

/** The UTF-8 bytes of a text, as DynamoDB counts a string. */
export const utf8Bytes = (text: string): number => encoder.encode(text).length;
