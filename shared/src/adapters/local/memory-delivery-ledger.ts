import { randomUUID } from 'node:crypto';
import {
  claimable,
  type DeliveryClaim,
  type DeliveryLedger,
  type DeliveryRecord,
} from '../../ports/delivery-ledger.ts';

/** The delivery ledger in memory, for tests: the same rule as the DynamoDB adapter's. */
export class MemoryDeliveryLedger implements DeliveryLedger {
  readonly records = new Map<string, DeliveryRecord>();

  async claim(key: string, now: Date, leaseUntil: Date): Promise<DeliveryClaim> {
    const record = this.records.get(key);
    if (claimable(record, now)) {
      const attempt = randomUUID();
      this.records.set(key, { state: 'sending', attempt, leaseUntil: leaseUntil.toISOString() });
      return { kind: 'claimed', attempt };
    }
    if (record?.state === 'sent') return { kind: 'sent' };
    return { kind: 'sending', leaseUntil: new Date(record?.leaseUntil ?? now) };
  }

  async markSent(key: string, attempt: string): Promise<void> {
    this.records.set(key, { state: 'sent', attempt });
  }

  async markFailed(key: string, attempt: string): Promise<void> {
    const record = this.records.get(key);
    if (record?.state === 'sending' && record.attempt === attempt) {
      this.records.set(key, { state: 'failed', attempt });
    }
  }
}
