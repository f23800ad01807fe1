import type { EventStore } from '../event-log/event-store.ts';
import type { JurisdictionContactsSource } from '../policies/policy-source.ts';
import type { Clock } from '../ports/clock.ts';
import type { ContactVault } from '../ports/secrets.ts';
import {
  addressParts,
  type Contact,
  type ContactDirectory,
  jurisdictionRecipients,
  MergedContactDirectory,
} from './directory.ts';
import { EnterpriseContactDirectory } from './enterprise-directory.ts';
import { SitePersonDirectory } from './site-person-directory.ts';
import { SealedTipsterPhoneDirectory } from './tipster-phone-directory.ts';

const officeRecipients: ReadonlySet<string> = new Set(jurisdictionRecipients);

/**
 * Contacts from the policy data: an office recipient of a jurisdiction
 * (`leader_in_charge@cq-gecheng`) is reached at the contacts its administrators keep for
 * it. Read at each message, not cached: the next message after an edit reaches the new
 * contact. Other addresses are not this directory's to answer.
 */
export class JurisdictionContactDirectory implements ContactDirectory {
  private readonly source: JurisdictionContactsSource;

  constructor(source: JurisdictionContactsSource) {
    this.source = source;
  }

  async resolve(to: string): Promise<Contact[]> {
    const parts = addressParts(to);
    if (!parts || !officeRecipients.has(parts.recipient)) return [];
    const stored = await this.source.jurisdictionContacts(parts.place);
    const list = stored?.contacts[parts.recipient as keyof typeof stored.contacts] ?? [];
    return list.map((contact) => ({ ...contact }));
  }
}

/**
 * The directory a deployment with a table uses: who people are comes from the record (the
 * enterprise register's mobiles, a place's person in charge as the hazard names them, the
 * contact lists administrators keep), with whatever the
 * deployment's configuration lists for the same address after them. With `tipsterPhones`
 * (the contact key's opener), a tip's sealed phone too, opened as the message goes.
 */
export function recordContactDirectory(options: {
  events: EventStore;
  contacts: JurisdictionContactsSource;
  configured?: ContactDirectory | undefined;
  tipsterPhones?: { vault: Pick<ContactVault, 'open'>; clock: Clock } | undefined;
}): ContactDirectory {
  return new MergedContactDirectory([
    new EnterpriseContactDirectory(options.events),
    new SitePersonDirectory(options.events),
    new JurisdictionContactDirectory(options.contacts),
    ...(options.tipsterPhones
      ? [new SealedTipsterPhoneDirectory({ events: options.events, ...options.tipsterPhones })]
      : []),
    ...(options.configured ? [options.configured] : []),
  ]);
}
