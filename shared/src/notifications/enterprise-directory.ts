import { enterpriseProjection, enterpriseStream } from '../enterprises/enterprise.ts';
import type { EventStore } from '../event-log/event-store.ts';
import type { Contact, ContactDirectory } from './directory.ts';

const enterpriseRoles = {
  enterprise_principal: 'principal',
  enterprise_controller: 'controller',
} as const;

/**
 * Contacts from the record: an enterprise's principal and actual controller are reached
 * at the mobiles its register entry holds (`enterprise_principal@<credit code>`), beside
 * whatever the deployment's directory lists for the same address. A register entry edited
 * today is used by the next message: nothing is copied into configuration.
 */
export class EnterpriseContactDirectory implements ContactDirectory {
  private readonly events: EventStore;
  private readonly configured: ContactDirectory;

  constructor(events: EventStore, configured: ContactDirectory) {
    this.events = events;
    this.configured = configured;
  }

  async resolve(to: string): Promise<Contact[]> {
    const [recipient = '', place = ''] = to.split('@');
    const role = enterpriseRoles[recipient as keyof typeof enterpriseRoles];
    const fromRegister: Contact[] = [];
    if (role && place) {
      const snapshot = await this.events.load(enterpriseStream(place), enterpriseProjection);
      const mobile = snapshot?.state[role]?.mobile;
      if (mobile) fromRegister.push({ kind: 'sms', phone: mobile });
    }
    const contacts = [...fromRegister, ...(await this.configured.resolve(to))];
    const seen = new Set<string>();
    return contacts.filter((contact) => {
      const key = JSON.stringify(contact);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }
}
