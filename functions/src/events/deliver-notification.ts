import {
  ChannelNotifier,
  loggableReason,
  SnsSmsSender,
} from '@qingling/shared/adapters/aws/channel-notifier.ts';
import { HttpSmsSender } from '@qingling/shared/adapters/aws/http-sms-sender.ts';
import { createDocumentClient } from '@qingling/shared/adapters/dynamodb/client.ts';
import { DynamoDeliveryLedger } from '@qingling/shared/adapters/dynamodb/delivery-ledger.ts';
import { StaticContactDirectory } from '@qingling/shared/notifications/directory.ts';
import { recordContactDirectory } from '@qingling/shared/notifications/jurisdiction-directory.ts';
import type { Clock } from '@qingling/shared/ports/clock.ts';
import type { DeliveryLedger } from '@qingling/shared/ports/delivery-ledger.ts';
import type { Notification, Notifier, SmsSender } from '@qingling/shared/ports/outbox.ts';
import { bilingualSchema } from '@qingling/shared/tips/schemas.ts';
import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import * as dependencies from '../dependencies.ts';
import { logger } from '../observability/logger.ts';
import { count } from '../observability/metrics.ts';

const notificationSchema = z.object({
  key: z.string().check(z.minLength(1)),
  channel: z.enum(['email', 'sms', 'webhook']),
  to: z.string().check(z.minLength(1)),
  subject: bilingualSchema,
  body: bilingualSchema,
}) satisfies z.ZodMiniType<Notification>;

// With raw message delivery off, the queue holds SNS's envelope around the notification.
const snsEnvelopeSchema = z.object({ Type: z.literal('Notification'), Message: z.string() });

function json(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The notification a queued message carries, in SNS's envelope or raw; undefined if none. */
export function notificationOf(body: string): Notification | undefined {
  const message = json(body);
  const envelope = snsEnvelopeSchema.safeParse(message);
  const parsed = notificationSchema.safeParse(
    envelope.success ? json(envelope.data.Message) : message,
  );
  return parsed.success ? parsed.data : undefined;
}

/** The ledger that makes delivery once per key, and the clock its leases are read by. */
export interface DeliveryOnce {
  ledger: DeliveryLedger;
  clock: Clock;
  /** How long a claim keeps others from sending its key: longer than the function may run. */
  leaseMs: number;
}

type Outcome = 'delivered' | 'duplicate' | 'failed';

/**
 * Delivers each queued notification and reports the records that failed, so that SQS
 * redelivers those alone (partial batch response): one bad contact does not send the
 * whole batch again. A message that is no notification fails too, on to the dead-letter
 * queue rather than lost. Logs carry the key, never a phone, an address or a webhook URL.
 *
 * With a ledger, each key is claimed before it is sent (SQS delivers at least once, and
 * the lifecycle may publish a step twice): a key already sent is dropped as a duplicate; a
 * key another attempt is sending, under a live lease, fails back to the queue, to be tried
 * again after that attempt has ended; a failed send frees the key for the retry.
 */
export async function deliverNotifications(
  event: SQSEvent,
  notifier: Notifier,
  once?: DeliveryOnce,
): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchItemFailure[] = [];
  let duplicates = 0;
  // One at a time: a group robot accepts about 20 messages a minute.
  for (const record of event.Records) {
    const notification = notificationOf(record.body);
    if (!notification) {
      logger.error('Queued message is not a notification', { messageId: record.messageId });
      batchItemFailures.push({ itemIdentifier: record.messageId });
      continue;
    }
    const outcome = once
      ? await deliverOnce(notification, notifier, once)
      : await deliver(notification, notifier);
    if (outcome === 'failed') batchItemFailures.push({ itemIdentifier: record.messageId });
    if (outcome === 'duplicate') duplicates += 1;
  }
  count('DeliveriesFailed', batchItemFailures.length);
  count('NotificationsDelivered', event.Records.length - batchItemFailures.length - duplicates);
  return { batchItemFailures };
}

async function deliver(notification: Notification, notifier: Notifier): Promise<Outcome> {
  try {
    await notifier.send(notification);
    logger.info('Notification delivered', { key: notification.key });
    return 'delivered';
  } catch (error) {
    logger.error('Notification not delivered; the queue will retry', {
      key: notification.key,
      reason: loggableReason(error),
    });
    return 'failed';
  }
}

async function deliverOnce(
  notification: Notification,
  notifier: Notifier,
  { ledger, clock, leaseMs }: DeliveryOnce,
): Promise<Outcome> {
  const { key } = notification;
  const now = clock.now();
  let claim: Awaited<ReturnType<DeliveryLedger['claim']>>;
  try {
    claim = await ledger.claim(key, now, new Date(now.getTime() + leaseMs));
  } catch (error) {
    logger.error('Delivery ledger unavailable; the queue will retry', {
      key,
      reason: loggableReason(error),
    });
    return 'failed';
  }
  if (claim.kind === 'sent') {
    logger.info('Notification already delivered: duplicate dropped', { key });
    return 'duplicate';
  }
  if (claim.kind === 'sending') {
    logger.warn('Notification is being delivered by another attempt; the queue will retry', {
      key,
      leaseUntil: claim.leaseUntil.toISOString(),
    });
    return 'failed';
  }
  const outcome = await deliver(notification, notifier);
  try {
    if (outcome === 'delivered') await ledger.markSent(key, claim.attempt, clock.now());
    else await ledger.markFailed(key, claim.attempt, clock.now());
  } catch (error) {
    // Sent stays sent for the queue (no resend now); the claim's lease runs out instead,
    // and only a duplicate arriving after it would send again.
    logger.error('Delivery ledger not updated; the lease will run out', {
      key,
      outcome,
      reason: loggableReason(error),
    });
  }
  return outcome;
}

/**
 * How SMS goes out, from SMS_DELIVERY: `sns` (the default), `http` (an HTTP provider at
 * SMS_PROVIDER_URL, requests signed with the secret SMS_PROVIDER_SECRET_ARN) or `none`
 * (the China regions without a provider: SMS contacts are skipped with a warning).
 */
function smsSenderFromEnvironment(env: Record<string, string | undefined>): SmsSender | undefined {
  const delivery = env.SMS_DELIVERY || 'sns';
  switch (delivery) {
    case 'sns':
      return new SnsSmsSender();
    case 'http': {
      const url = env.SMS_PROVIDER_URL;
      const secretId = env.SMS_PROVIDER_SECRET_ARN;
      if (!url || !secretId) {
        throw new Error('SMS_DELIVERY=http needs SMS_PROVIDER_URL and SMS_PROVIDER_SECRET_ARN');
      }
      return new HttpSmsSender({ url, secretId });
    }
    case 'none':
      return undefined;
    default:
      throw new Error(`SMS_DELIVERY must be sns, http or none, got "${delivery}"`);
  }
}

/**
 * The notifier a deployment configures. Who people are comes from the table (TABLE_NAME):
 * enterprises' principals and controllers from the register, each jurisdiction's office
 * recipients from the contact lists its administrators keep (read at each message, so the
 * next message after an edit reaches the new contact); CONTACT_DIRECTORY_JSON may add
 * contacts of its own for any address (often `{}`). NOTIFY_FROM_ADDRESS, a verified SES
 * identity, where SES exists; SMS_SIGNATURE, the registered SMS signature; SMS_DELIVERY and
 * the SMS provider's settings (smsSenderFromEnvironment); CONTACT_KEY_ID, the key that opens
 * a tip's sealed phone for the claim reminder. A contact this deployment cannot
 * reach (e-mail without SES, SMS without a sender) is skipped with a warning that names its
 * position, not its address.
 */
export function notifierFromEnvironment(env: Record<string, string | undefined>): ChannelNotifier {
  const directoryJson = env.CONTACT_DIRECTORY_JSON;
  if (!directoryJson) throw new Error('Environment variable CONTACT_DIRECTORY_JSON is not set');
  const entries = json(directoryJson);
  // Not JSON.parse's own message: it quotes the text, which holds contacts.
  if (entries === undefined) throw new Error('CONTACT_DIRECTORY_JSON is not valid JSON');
  return new ChannelNotifier({
    directory: env.TABLE_NAME
      ? recordContactDirectory({
          events: dependencies.eventStore(),
          contacts: dependencies.policyStore(),
          configured: new StaticContactDirectory(entries),
          // The claim reminder's recipient, a tip's sealed phone: opened here, as it is sent.
          ...(env.CONTACT_KEY_ID
            ? {
                tipsterPhones: {
                  vault: dependencies.contactVault(),
                  clock: dependencies.clock(),
                },
              }
            : {}),
        })
      : new StaticContactDirectory(entries),
    sms: smsSenderFromEnvironment(env),
    fromAddress: env.NOTIFY_FROM_ADDRESS || undefined,
    smsSignature: env.SMS_SIGNATURE || undefined,
    onSkipped: (skipped) =>
      logger.warn('Contact skipped: this deployment cannot send to its kind', { ...skipped }),
  });
}

/**
 * Once per key, in the table (TABLE_NAME), with a lease of DELIVERY_LEASE_SECONDS (CDK sets
 * it above the function's timeout); none without a table.
 */
export function deliveryOnceFromEnvironment(
  env: Record<string, string | undefined>,
): DeliveryOnce | undefined {
  if (!env.TABLE_NAME) return undefined;
  const leaseSeconds = Number(env.DELIVERY_LEASE_SECONDS || defaultLeaseSeconds);
  if (!Number.isInteger(leaseSeconds) || leaseSeconds <= 0) {
    throw new Error('DELIVERY_LEASE_SECONDS must be a whole number of seconds');
  }
  return {
    ledger: new DynamoDeliveryLedger(createDocumentClient(), env.TABLE_NAME),
    clock: dependencies.clock(),
    leaseMs: leaseSeconds * 1000,
  };
}

/** Twice the function's 60 s timeout. */
const defaultLeaseSeconds = 120;

let notifier: Notifier | undefined;
let once: DeliveryOnce | undefined;

/** SQS event source on the queue subscribed to the notifications topic. */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  notifier ??= notifierFromEnvironment(process.env);
  once ??= deliveryOnceFromEnvironment(process.env);
  return deliverNotifications(event, notifier, once);
}
