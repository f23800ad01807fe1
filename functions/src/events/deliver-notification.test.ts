import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { ChannelNotifier, DeliveryFailed } from '@qingling/shared/adapters/aws/channel-notifier.ts';
import {
  smsRequestSignature,
  smsSignatureHeader,
} from '@qingling/shared/adapters/aws/http-sms-sender.ts';
import type { Notification, Notifier } from '@qingling/shared/ports/outbox.ts';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { logger } from '../http/api-handler.ts';
import {
  deliverNotifications,
  handler,
  notificationOf,
  notifierFromEnvironment,
} from './deliver-notification.ts';

const notification: Notification = {
  key: 'H1#1#notice_letter#department_head',
  channel: 'sms',
  to: 'department_head@cq-gecheng',
  subject: { zh: '函告：仓库', en: 'Notice letter: warehouse' },
  body: { zh: '请按要求处理。', en: 'Please rectify.' },
};

// The body SQS holds when SNS delivers to it with raw message delivery off.
const enveloped = (message: unknown) =>
  JSON.stringify({
    Type: 'Notification',
    MessageId: 'sns-1',
    TopicArn: 'arn:aws-cn:sns:cn-north-1:111122223333:Qingling-notifications',
    Message: JSON.stringify(message),
    Timestamp: '2026-03-01T08:00:00.000Z',
    MessageAttributes: { key: { Type: 'String', Value: notification.key } },
  });

const sqsEvent = (...bodies: string[]): SQSEvent => ({
  Records: bodies.map(
    (body, index) => ({ messageId: `m${index + 1}`, body }) as unknown as SQSRecord,
  ),
});

const recording = (fail: (n: Notification) => Error | undefined = () => undefined) => {
  const sent: Notification[] = [];
  const notifier: Notifier = {
    send: async (n) => {
      const error = fail(n);
      if (error) throw error;
      sent.push(n);
    },
  };
  return { sent, notifier };
};

afterEach(() => vi.restoreAllMocks());

describe('notificationOf', () => {
  it('reads a notification in the SNS envelope and a raw one alike', () => {
    expect(notificationOf(enveloped(notification))).toEqual(notification);
    expect(notificationOf(JSON.stringify(notification))).toEqual(notification);
  });

  it('finds none in what is not a notification', () => {
    expect(notificationOf('not json')).toBeUndefined();
    expect(notificationOf(enveloped({ ...notification, channel: 'fax' }))).toBeUndefined();
    expect(notificationOf(enveloped({ ...notification, key: '' }))).toBeUndefined();
    expect(notificationOf(JSON.stringify({ Type: 'Notification', Message: '{' }))).toBeUndefined();
  });
});

describe('deliverNotifications', () => {
  it('delivers each record and reports none failed', async () => {
    const { sent, notifier } = recording();
    const second = { ...notification, key: 'H2#1#reminder#department_head' };
    const reply = await deliverNotifications(
      sqsEvent(enveloped(notification), JSON.stringify(second)),
      notifier,
    );
    expect(reply).toEqual({ batchItemFailures: [] });
    expect(sent).toEqual([notification, second]);
  });

  it('reports only the records that failed, after trying the rest', async () => {
    const { sent, notifier } = recording((n) =>
      n.key.startsWith('H2') ? new DeliveryFailed('wecom contact 1: HTTP 500') : undefined,
    );
    const reply = await deliverNotifications(
      sqsEvent(
        enveloped(notification),
        enveloped({ ...notification, key: 'H2#1#reminder#department_head' }),
        'not a notification',
        enveloped({ ...notification, key: 'H3#1#reminder#department_head' }),
      ),
      notifier,
    );
    expect(reply).toEqual({
      batchItemFailures: [{ itemIdentifier: 'm2' }, { itemIdentifier: 'm3' }],
    });
    expect(sent.map((n) => n.key)).toEqual([notification.key, 'H3#1#reminder#department_head']);
  });

  it('logs the key and a loggable reason, never what the SDK said', async () => {
    const info = vi.spyOn(logger, 'info');
    const error = vi.spyOn(logger, 'error');
    const sdkError = new Error('+8613800138000 has opted out');
    sdkError.name = 'OptedOutException';
    const { notifier } = recording((n) => (n.key.startsWith('H2') ? sdkError : undefined));
    await deliverNotifications(
      sqsEvent(
        enveloped(notification),
        enveloped({ ...notification, key: 'H2#1#reminder#department_head' }),
      ),
      notifier,
    );
    expect(info).toHaveBeenCalledWith('Notification delivered', { key: notification.key });
    expect(error).toHaveBeenCalledWith('Notification not delivered; the queue will retry', {
      key: 'H2#1#reminder#department_head',
      reason: 'OptedOutException',
    });
  });
});

describe('notifierFromEnvironment', () => {
  const directory = { 'department_head@cq-gecheng': [{ kind: 'sms', phone: '13800138000' }] };

  it('builds a channel notifier from the directory in the environment', () => {
    expect(
      notifierFromEnvironment({ CONTACT_DIRECTORY_JSON: JSON.stringify(directory) }),
    ).toBeInstanceOf(ChannelNotifier);
  });

  it('refuses a missing, unreadable or invalid directory without quoting it', () => {
    expect(() => notifierFromEnvironment({})).toThrow(/CONTACT_DIRECTORY_JSON is not set/);
    const unreadable = '{"department_head@cq-gecheng": [{"kind": "sms", "phone": "13800138000"}';
    expect(() => notifierFromEnvironment({ CONTACT_DIRECTORY_JSON: unreadable })).toThrow(
      'CONTACT_DIRECTORY_JSON is not valid JSON',
    );
    expect(() =>
      notifierFromEnvironment({
        CONTACT_DIRECTORY_JSON: JSON.stringify({ 'mayor@cq-gecheng': [] }),
      }),
    ).toThrow(/contact directory is invalid/);
  });

  const smsOnly = JSON.stringify(directory);

  it('skips SMS with a warning, and publishes nothing to SNS, with SMS_DELIVERY=none', async () => {
    const sns = mockClient(SNSClient);
    const warn = vi.spyOn(logger, 'warn');
    try {
      const notifier = notifierFromEnvironment({
        CONTACT_DIRECTORY_JSON: smsOnly,
        SMS_DELIVERY: 'none',
      });
      await expect(notifier.send(notification)).rejects.toThrow(/only sms contacts/);
      expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
      expect(warn).toHaveBeenCalledWith(
        'Contact skipped: this deployment cannot send to its kind',
        {
          key: notification.key,
          to: 'department_head@cq-gecheng',
          kind: 'sms',
          position: 1,
        },
      );
      expect(JSON.stringify(warn.mock.calls)).not.toContain('13800138000');
    } finally {
      sns.restore();
    }
  });

  it('posts SMS to the provider, signed with the secret, with SMS_DELIVERY=http', async () => {
    const sns = mockClient(SNSClient);
    const secrets = mockClient(SecretsManagerClient);
    const secretArn = 'arn:aws-cn:secretsmanager:cn-north-1:111122223333:secret:sms-AbCdEf';
    secrets.on(GetSecretValueCommand, { SecretId: secretArn }).resolves({ SecretString: 'k' });
    const received: { signature: unknown; body: string }[] = [];
    const provider = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      request.on('end', () => {
        received.push({ signature: request.headers[smsSignatureHeader], body });
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = provider.address() as AddressInfo;
      await notifierFromEnvironment({
        CONTACT_DIRECTORY_JSON: smsOnly,
        SMS_DELIVERY: 'http',
        SMS_PROVIDER_URL: `http://127.0.0.1:${port}/send`,
        SMS_PROVIDER_SECRET_ARN: secretArn,
      }).send(notification);
      expect(received).toHaveLength(1);
      const [{ signature, body }] = received as [(typeof received)[number]];
      expect(JSON.parse(body)).toMatchObject({ to: '+8613800138000', key: notification.key });
      expect(signature).toBe(smsRequestSignature(body, 'k'));
      expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    } finally {
      provider.closeAllConnections();
      await new Promise((resolve) => provider.close(resolve));
      sns.restore();
      secrets.restore();
    }
  });

  it('refuses an SMS delivery it does not know, or http without its provider', () => {
    expect(() =>
      notifierFromEnvironment({ CONTACT_DIRECTORY_JSON: smsOnly, SMS_DELIVERY: 'pigeon' }),
    ).toThrow('SMS_DELIVERY must be sns, http or none, got "pigeon"');
    expect(() =>
      notifierFromEnvironment({ CONTACT_DIRECTORY_JSON: smsOnly, SMS_DELIVERY: 'http' }),
    ).toThrow(/SMS_PROVIDER_URL and SMS_PROVIDER_SECRET_ARN/);
  });
});

describe('handler', () => {
  it('sends through the channels of the directory in its environment', async () => {
    const sns = mockClient(SNSClient);
    sns.on(PublishCommand).resolves({ MessageId: 's1' });
    vi.stubEnv(
      'CONTACT_DIRECTORY_JSON',
      JSON.stringify({ 'department_head@cq-gecheng': [{ kind: 'sms', phone: '13800138000' }] }),
    );
    try {
      const reply = await handler(sqsEvent(enveloped(notification)));
      expect(reply).toEqual({ batchItemFailures: [] });
      expect(sns.commandCalls(PublishCommand)[0]?.args[0].input.PhoneNumber).toBe('+8613800138000');
    } finally {
      vi.unstubAllEnvs();
      sns.restore();
    }
  });
});
