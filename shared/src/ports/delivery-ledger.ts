/**
 * What became of each notification key: the delivery function claims a key before it
 * sends, so that a message the queue delivers twice, or the lifecycle publishes twice, is
 * sent once. A claim holds a lease: while it is live nobody else sends the key; once it has
 * run out, the attempt that held it is known to have ended (its function timed out or
 * died), and the key may be claimed again.
 *
 * States: (none) → sending (attempt, lease until) → sent, or → failed → sending again.
 */
export type DeliveryClaim =
  /** This attempt may send; it names the attempt for marking the outcome. */
  | { kind: 'claimed'; attempt: string }
  /** Sent before: a duplicate, to be dropped. */
  | { kind: 'sent' }
  /** Another attempt holds a live lease: try again after it has ended. */
  | { kind: 'sending'; leaseUntil: Date };

/**
 * How long a key's record is kept after its last change, at least: 15 days, longer than
 * SQS keeps any message (14 days at most; a message moved to a dead-letter queue and back
 * keeps its first enqueue time), so a message delivered again still finds its key `sent`.
 * The DynamoDB ledger lets DynamoDB Time to Live delete it after that; a key claimed later
 * than that is new again.
 */
export const deliveryRecordKeptMs = 15 * 24 * 3600 * 1000;

export interface DeliveryLedger {
  /** Claims the key if it is new, failed, or sending under a lease that has run out. */
  claim(key: string, now: Date, leaseUntil: Date): Promise<DeliveryClaim>;
  /** The key was sent: every later claim answers `sent`. */
  markSent(key: string, attempt: string, now: Date): Promise<void>;
  /** The attempt failed: the key may be claimed at once. A later claim's record is kept. */
  markFailed(key: string, attempt: string, now: Date): Promise<void>;
}

/** A key's record, as the ledger keeps it. */
export interface DeliveryRecord {
  state: 'sending' | 'sent' | 'failed';
  attempt: string;
  /** ISO 8601, while sending. */
  leaseUntil?: string;
}

/** The claim rule, which the DynamoDB adapter states as its condition expression. */
export function claimable(record: DeliveryRecord | undefined, now: Date): boolean {
  if (!record || record.state === 'failed') return true;
  return record.state === 'sending' && (record.leaseUntil ?? '') <= now.toISOString();
}
