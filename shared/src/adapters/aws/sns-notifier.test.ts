import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Notification } from '../../ports/outbox.ts';
import { SnsNotifier } from './sns-notifier.ts';

const sns = mockClient(SNSClient);
const topicArn = 'arn:aws-cn:sns:cn-north-1:111122223333:Qingling-notifications';
const notifier = new SnsNotifier({ topicArn, client: new SNSClient({}) });

const notification: Notification = {
  key: 'H1#1#notice_letter#enterprise_principal',
  channel: 'sms',
  to: 'enterprise_principal@310115',
  subject: { zh: '函告：仓库', en: 'Notice letter: warehouse' },
  body: { zh: '请按要求处理。', en: 'Please rectify.' },
};

beforeEach(() => sns.reset());

describe('SnsNotifier', () => {
  it('publishes the notification as JSON with its key and channel as attributes', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm1' });
    await notifier.send(notification);
    const calls = sns.commandCalls(PublishCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]?.args[0].input;
    expect(input?.TopicArn).toBe(topicArn);
    expect(JSON.parse(input?.Message ?? '')).toEqual(notification);
    expect(input?.MessageAttributes).toEqual({
      key: { DataType: 'String', StringValue: notification.key },
      channel: { DataType: 'String', StringValue: 'sms' },
    });
  });

  it('lets a refusal through, so the escalation task retries and delivers at least once', async () => {
    sns.on(PublishCommand).rejects(new Error('AuthorizationError'));
    await expect(notifier.send(notification)).rejects.toThrow('AuthorizationError');
  });

  it('needs a topic and a key', async () => {
    expect(() => new SnsNotifier({ topicArn: '' })).toThrow(/topic/);
    await expect(notifier.send({ ...notification, key: '' })).rejects.toThrow(/key/);
    expect(sns.calls()).toHaveLength(0);
  });
});
