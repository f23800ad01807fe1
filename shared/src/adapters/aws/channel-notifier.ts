import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { Contact, ContactDirectory } from '../../notifications/directory.ts';
import {
  dingtalkRobotMessage,
  dingtalkSignedUrl,
  emailMessage,
  smsText,
  wecomRobotMessage,
} from '../../notifications/formats.ts';
import { type Clock, systemClock } from '../../ports/clock.ts';
import type { Notification, Notifier, SmsMessage, SmsSender } from '../../ports/outbox.ts';

/**
 * A delivery that did not happen. Its message names contacts by kind and position only,
 * never by address, phone or webhook URL (a webhook URL holds the robot's token), so it
 * can be logged; an SDK error, whose message may quote an address, is named, not quoted.
 */
export class DeliveryFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeliveryFailed';
  }
}

/** A contact left out because this deployment cannot send its kind (no SES, no SMS sender). */
export interface SkippedContact {
  key: string;
  to: string;
  kind: Contact['kind'];
  /** The contact's position (from 1) among the recipient's contacts: never its address. */
  position: number;
}

export interface ChannelNotifierOptions {
  directory: ContactDirectory;
  /** E-mail by SES: a client of the function's region unless given. */
  ses?: SESv2Client | undefined;
  /** SMS by SNS, in the global regions; unused when `sms` is given. */
  sns?: SNSClient | undefined;
  /**
   * SMS by another sender (an HTTP provider in the China regions, where SNS sends no SMS).
   * With neither `sms` nor `sns`, SMS contacts are skipped.
   */
  sms?: SmsSender | undefined;
  /** Told of each contact skipped, for a warning in the log. */
  onSkipped?: ((skipped: SkippedContact) => void) | undefined;
  fetch?: typeof fetch;
  /** The verified SES identity to send from; unset where SES does not exist (China regions). */
  fromAddress?: string | undefined;
  /** The SMS signature registered for the deployment, 【清零】 by default. */
  smsSignature?: string | undefined;
  clock?: Clock;
}

const webhookTimeoutMs = 10_000;
const emailHeaderValue = /^[\x21-\x7e]{1,995}$/;

/** SMS by SNS: transactional, to the E.164 number. */
export class SnsSmsSender implements SmsSender {
  private readonly sns: SNSClient;

  constructor(sns: SNSClient = new SNSClient({})) {
    this.sns = sns;
  }

  async send(message: SmsMessage): Promise<void> {
    // Publish to a phone number takes no idempotency key (and no deduplication id: that is
    // FIFO topics'): once per key rests on the delivery function's ledger alone.
    await this.sns.send(
      new PublishCommand({
        PhoneNumber: message.to,
        Message: message.text,
        MessageAttributes: {
          'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
        },
      }),
    );
  }
}

/**
 * Delivers a Notification to every contact the directory has for its `to`: e-mail by SES,
 * SMS by SNS or another SmsSender, WeCom and DingTalk group robots by their webhooks. The
 * directory, not the notification's `channel`, decides how a recipient is reached. All
 * contacts are tried; if any fails the send throws, so the caller's retry delivers again
 * and receivers drop the duplicates by the key, which every channel carries (as an
 * idempotency key where the provider takes one: the HTTP SMS provider; SES and SNS SMS
 * take none, and robots none either).
 */
export class ChannelNotifier implements Notifier {
  private readonly options: ChannelNotifierOptions;
  private readonly post: typeof fetch;
  private readonly clock: Clock;
  private readonly sms: SmsSender | undefined;
  private readonly ses: SESv2Client;

  constructor(options: ChannelNotifierOptions) {
    this.options = options;
    this.ses = options.ses ?? new SESv2Client({});
    this.sms = options.sms ?? (options.sns ? new SnsSmsSender(options.sns) : undefined);
    this.post = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.clock = options.clock ?? systemClock;
  }

  async send(notification: Notification): Promise<void> {
    if (!notification.key) throw new DeliveryFailed('A notification needs its idempotency key');
    const contacts = await this.options.directory.resolve(notification.to);
    if (contacts.length === 0) {
      throw new DeliveryFailed(`Nobody to tell: no contact for ${notification.to}`);
    }
    // A kind this deployment cannot send is skipped; if that leaves nobody, it is an error.
    const attempts = contacts.flatMap((contact, index) => {
      const position = index + 1;
      if (this.canReach(contact)) return [{ contact, position }];
      const { key, to } = notification;
      this.options.onSkipped?.({ key, to, kind: contact.kind, position });
      return [];
    });
    if (attempts.length === 0) {
      const kinds = [...new Set(contacts.map((contact) => contact.kind))].join(', ');
      throw new DeliveryFailed(
        `Nobody to tell: ${notification.to} has only ${kinds} contacts, which this deployment cannot send`,
      );
    }
    const results = await Promise.allSettled(
      attempts.map(({ contact }) => this.deliver(contact, notification)),
    );
    const failures = attempts.flatMap(({ contact, position }, index) => {
      const result = results[index];
      return result?.status === 'rejected'
        ? [`${contact.kind} contact ${position}: ${loggableReason(result.reason)}`]
        : [];
    });
    if (failures.length > 0) {
      throw new DeliveryFailed(
        `${notification.key} not delivered to ${failures.length} of ${attempts.length} contacts of ${notification.to}: ${failures.join('; ')}`,
      );
    }
  }

  private canReach(contact: Contact): boolean {
    if (contact.kind === 'email') return Boolean(this.options.fromAddress);
    if (contact.kind === 'sms') return Boolean(this.sms);
    return true;
  }

  private async deliver(contact: Contact, notification: Notification): Promise<void> {
    switch (contact.kind) {
      case 'email':
        return this.email(contact.address, notification);
      case 'sms':
        return this.sms?.send({
          to: `+86${contact.phone}`,
          text: smsText(notification, this.options.smsSignature),
          key: notification.key,
        });
      case 'wecom':
        return this.robot('WeCom', contact.url, wecomRobotMessage(notification));
      case 'dingtalk': {
        const url = contact.secret
          ? await dingtalkSignedUrl(contact.url, contact.secret, this.clock.now().getTime())
          : contact.url;
        return this.robot('DingTalk', url, dingtalkRobotMessage(notification));
      }
    }
  }

  /** One message per address: one bad address fails alone, and nobody sees the others. */
  private async email(address: string, notification: Notification): Promise<void> {
    const { subject, text, html } = emailMessage(notification);
    // SES SendEmail takes no idempotency key: the ledger sends a key once, and the header
    // below lets a mail filter drop what a retry after a lost answer sends again.
    const utf8 = (data: string) => ({ Data: data, Charset: 'UTF-8' });
    await this.ses.send(
      new SendEmailCommand({
        FromEmailAddress: this.options.fromAddress,
        Destination: { ToAddresses: [address] },
        Content: {
          Simple: {
            Subject: utf8(subject),
            Body: { Text: utf8(text), Html: utf8(html) },
            // For mail filters; SES refuses a header that is not printable ASCII.
            ...(emailHeaderValue.test(notification.key)
              ? { Headers: [{ Name: 'X-Qingling-Key', Value: notification.key }] }
              : {}),
          },
        },
        // For SES event destinations, whose tag values allow only these characters.
        EmailTags: [
          { Name: 'key', Value: notification.key.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256) },
        ],
      }),
    );
  }

  /** Both robots answer HTTP 200 with {errcode, errmsg}: errcode 0 alone means sent. */
  private async robot(name: string, url: string, message: unknown): Promise<void> {
    const response = await this.post(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(message),
      signal: AbortSignal.timeout(webhookTimeoutMs),
    });
    if (!response.ok) throw new DeliveryFailed(`${name} robot answered HTTP ${response.status}`);
    const answer: unknown = await response.json().catch(() => undefined);
    const { errcode, errmsg } = (answer ?? {}) as { errcode?: unknown; errmsg?: unknown };
    if (errcode !== 0) {
      throw new DeliveryFailed(
        `${name} robot answered errcode ${String(errcode)}: ${String(errmsg)}`,
      );
    }
  }
}

/** What of an error may be logged: a DeliveryFailed's message, any other error's name. */
export function loggableReason(error: unknown): string {
  if (error instanceof DeliveryFailed) return error.message;
  return error instanceof Error ? error.name : 'unknown error';
}
