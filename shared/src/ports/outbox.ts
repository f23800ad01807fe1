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

/** One SMS as the notifier composed it. */
export interface SmsMessage {
  /** The mobile number in E.164 form: +86 and the 11 digits. */
  to: string;
  /** The whole text, signature 【…】 first and the short key last. */
  text: string;
  /** The notification's idempotency key, for the provider to drop a duplicate by. */
  key: string;
}

/** Sends one SMS: SNS in the global regions, an HTTP provider where SNS sends none (China). */
export interface SmsSender {
  send(message: SmsMessage): Promise<void>;
}
