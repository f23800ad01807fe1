import type { Bilingual } from '../i18n/text.ts';

/** A message to a person or a group: e-mail, SMS or a group robot on AWS; the outbox locally. */
export interface Notification {
  /** Idempotency key carried to receivers so they can drop duplicates, e.g. a step key. */
  key: string;
  channel: 'email' | 'sms' | 'webhook';
  to: string;
  subject: Bilingual;
  body: Bilingual;
}

export interface Notifier {
  send(notification: Notification): Promise<void>;
}
