import type { EventStore } from '../event-log/event-store.ts';
import type { Clock } from '../ports/clock.ts';
import type { ContactVault } from '../ports/secrets.ts';
import { tipsterPhoneRecipient } from '../tips/claim-deadline.ts';
import { tipProjection } from '../tips/tip-projection.ts';
import { type TipState, tipStream } from '../tips/tip-state.ts';
import { decideOnRecord } from '../workflow/decisions.ts';
import { addressParts, type Contact, type ContactDirectory } from './directory.ts';

const deliveryActor = { kind: 'system' as const, id: 'notification-delivery' };

/**
 * The recipient "the sealed phone of tip X" (`sealed_tipster_phone@<tipId>`, addressed by
 * the tip's lifecycle for the claim reminder). The phone is opened here, as the message is
 * delivered, and at no other point of the path: the queue and the lifecycle carry the tip's
 * id only. Each opening is an event on the tip, written before the seal is opened, so no
 * opening goes unrecorded. A tip without a phone resolves to nobody (the lifecycle sends
 * nothing for it). Other addresses are not this directory's to answer.
 */
export class SealedTipsterPhoneDirectory implements ContactDirectory {
  private readonly options: {
    events: EventStore;
    vault: Pick<ContactVault, 'open'>;
    clock: Clock;
  };

  constructor(options: SealedTipsterPhoneDirectory['options']) {
    this.options = options;
  }

  async resolve(to: string): Promise<Contact[]> {
    const parts = addressParts(to);
    if (!parts || parts.recipient !== tipsterPhoneRecipient) return [];
    const { events, vault, clock } = this.options;
    const stream = tipStream(parts.place);
    const snapshot = await events.load(stream, tipProjection);
    const sealed = snapshot?.state.contactSealed;
    if (!sealed) return [];
    // Every opening is its own fact (a retried delivery opens again): a key of its own.
    await decideOnRecord<TipState>({
      events,
      stream,
      projection: tipProjection,
      idempotencyKey: `${parts.place}#contact-opened#${crypto.randomUUID()}`,
      actor: deliveryActor,
      now: () => clock.now(),
      decide: () => ({ type: 'tipster_contact_opened', data: { purpose: 'claim_reminder' } }),
      wake: async () => {},
    });
    return [{ kind: 'sms', phone: await vault.open(sealed) }];
  }
}
