import type { EventStore } from '../event-log/event-store.ts';
import { hazardProjection, hazardStream } from '../hazards/hazard.ts';
import { isMobile, sitePersonRecipient } from '../hazards/site.ts';
import { addressParts, type Contact, type ContactDirectory } from './directory.ts';

/**
 * The person in charge of a place without a credit code (site.ts), addressed as
 * `site_person_in_charge@<hazardId>`: the place is kept on the hazard, not on the register,
 * so its phone is read from the hazard as the message goes (an edit of the hazard's place,
 * should there be one, reaches the next message). A landline takes no SMS: nobody. Other
 * addresses are not this directory's to answer.
 */
export class SitePersonDirectory implements ContactDirectory {
  private readonly events: EventStore;

  constructor(events: EventStore) {
    this.events = events;
  }

  async resolve(to: string): Promise<Contact[]> {
    const parts = addressParts(to);
    if (!parts || parts.recipient !== sitePersonRecipient) return [];
    const snapshot = await this.events.load(hazardStream(parts.place), hazardProjection);
    const phone = snapshot?.state.site?.phone;
    return phone && isMobile(phone) ? [{ kind: 'sms', phone }] : [];
  }
}
