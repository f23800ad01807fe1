import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { Notification, Notifier } from '../../ports/outbox.ts';

/**
 * The first notification channel on AWS: each Notification is published to one SNS topic
 * as JSON, with its idempotency key and channel as message attributes, so that a
 * subscriber (a queue feeding SES, SMS, WeCom or DingTalk senders, later work) can filter
 * on the channel and drop a duplicate by its key. SNS exists in the China regions too,
 * where SES does not: the channel-specific formats belong to those subscribers.
 */
export class SnsNotifier implements Notifier {
  private readonly topicArn: string;
  private readonly client: SNSClient;

  constructor(options: { topicArn: string; client?: SNSClient }) {
    if (!options.topicArn) throw new Error('SnsNotifier needs a topic ARN');
    this.topicArn = options.topicArn;
    this.client = options.client ?? new SNSClient({});
  }

  async send(notification: Notification): Promise<void> {
    if (!notification.key) throw new Error('A notification needs its idempotency key');
    await this.client.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Message: JSON.stringify(notification),
        MessageAttributes: {
          key: { DataType: 'String', StringValue: notification.key },
          channel: { DataType: 'String', StringValue: notification.channel },
        },
      }),
    );
  }
}
