import {
  enterprisePlaceParts,
  enterpriseProjection,
  enterpriseStream,
} from '../enterprises/enterprise.ts';
import type { EventStore } from '../event-log/event-store.ts';
import { addressParts, type Contact, type ContactDirectory } from './directory.ts';

const enterpriseRoles = {
  enterprise_principal: 'principal',
  enterprise_controller: 'controller',
} as const;

/**
 * Contacts from the record: an enterprise's principal and actual controller are reached
 * at the mobiles held by the register entry of the hazard's jurisdiction
 * (`enterprise_principal@<jurisdiction>/<credit code>`): each jurisdiction keeps its own
 * record of the enterprise, and a message never reaches the people another jurisdiction
 * has on file. A register entry edited today is used by the next message: nothing is
 * copied into configuration. Every other address is someone else's to answer
 * (MergedContactDirectory puts them together).
 */
export class EnterpriseContactDirectory implements ContactDirectory {
  private readonly events: EventStore;

  constructor(events: EventStore) {
    this.events = events;
  }

  async resolve(to: string): Promise<Contact[]> {
    const parts = addressParts(to);
    if (!parts || !Object.hasOwn(enterpriseRoles, parts.recipient)) return [];
    const place = enterprisePlaceParts(parts.place);
    if (!place) return [];
    const role = enterpriseRoles[parts.recipient as keyof typeof enterpriseRoles];
    const snapshot = await this.events.load(
      enterpriseStream(place.jurisdiction, place.uscc),
      enterpriseProjection,
    );
    const mobile = snapshot?.state[role]?.mobile;
    return mobile ? [{ kind: 'sms', phone: mobile }] : [];
  }
}
