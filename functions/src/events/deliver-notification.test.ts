import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { ChannelNotifier, DeliveryFailed } from '@qingling/shared/adapters/aws/channel-notifier.ts';
import {
  smsRequestSignature,
  smsSignatureHeader,
} from '@qingling/shared/adapters/aws/http-sms-sender.ts';
import { MemoryDeliveryLedger } from '@qingling/shared/adapters/local/memory-delivery-ledger.ts';
import { MemoryEventStore } from '@qingling/shared/event-log/memory-event-store.ts';
import type { StoredJurisdictionContacts } from '@qingling/shared/policies/policies.ts';
import type { Notification, Notifier } from '@qingling/shared/ports/outbox.ts';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resetDependencies, useDependencies } from '../dependencies.ts';
import { logger } from '../observability/logger.ts';
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

describe('deliverNotifications with the delivery ledger', () => {
  // The function's timeout is 60 s; the lease outlasts it (notification-delivery.ts).
  const leaseMs = 120_000;
  let at = new Date('2026-12-01T02:00:00.000Z');
  const clock = { now: () => at };
  const later = (ms: number) => {
    at = new Date(at.getTime() + ms);
  };
  const ledgered = () => ({ ledger: new MemoryDeliveryLedger(), clock, leaseMs });

  it('sends a message the queue delivers twice once, and drops the duplicate with its key', async () => {
    const { sent, notifier } = recording();
    const options = ledgered();
    const info = vi.spyOn(logger, 'info');
    expect(
      await deliverNotifications(
        sqsEvent(enveloped(notification), enveloped(notification)),
        notifier,
        options,
      ),
    ).toEqual({ batchItemFailures: [] });
    expect(
      await deliverNotifications(sqsEvent(enveloped(notification)), notifier, options),
    ).toEqual({ batchItemFailures: [] });
    expect(sent).toEqual([notification]);
    expect(info).toHaveBeenCalledWith('Notification already delivered: duplicate dropped', {
      key: notification.key,
    });
  });

  it('sends once when two deliveries of a key run at the same time; the second is retried', async () => {
    let release = () => {};
    const sent: Notification[] = [];
    const notifier: Notifier = {
      send: async (n) => {
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        sent.push(n);
      },
    };
    const options = ledgered();
    const first = deliverNotifications(sqsEvent(enveloped(notification)), notifier, options);
    await vi.waitFor(() =>
      expect(options.ledger.records.get(notification.key)?.state).toBe('sending'),
    );
    const second = await deliverNotifications(sqsEvent(enveloped(notification)), notifier, options);
    // Under the first attempt's lease: back to the queue, to be tried after it has ended.
    expect(second).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
    release();
    expect(await first).toEqual({ batchItemFailures: [] });
    // The queue's retry finds it sent.
    expect(
      await deliverNotifications(sqsEvent(enveloped(notification)), notifier, options),
    ).toEqual({ batchItemFailures: [] });
    expect(sent).toEqual([notification]);
  });

  it('lets a failed send be retried, and then sends', async () => {
    let down = true;
    const { sent, notifier } = recording(() =>
      down ? new DeliveryFailed('sms contact 1: HTTP 500') : undefined,
    );
    const options = ledgered();
    expect(
      await deliverNotifications(sqsEvent(enveloped(notification)), notifier, options),
    ).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
    expect(options.ledger.records.get(notification.key)?.state).toBe('failed');
    down = false;
    expect(
      await deliverNotifications(sqsEvent(enveloped(notification)), notifier, options),
    ).toEqual({ batchItemFailures: [] });
    expect(sent).toEqual([notification]);
  });

  it('retries a key claimed by an attempt that died, once its lease has run out', async () => {
    const { sent, notifier } = recording();
    const options = ledgered();
    // An attempt claimed the key and was never heard of again (its function timed out).
    await options.ledger.claim(notification.key, clock.now(), new Date(at.getTime() + leaseMs));
    later(leaseMs - 1);
    expect(
      await deliverNotifications(sqsEvent(enveloped(notification)), notifier, options),
    ).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
    expect(sent).toEqual([]);
    later(1);
    expect(
      await deliverNotifications(sqsEvent(enveloped(notification)), notifier, options),
    ).toEqual({ batchItemFailures: [] });
    expect(sent).toEqual([notification]);
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

describe('the notifier of a deployment with a table', () => {
  const lists = (phone: string): StoredJurisdictionContacts => ({
    jurisdiction: 'cq-gecheng',
    contacts: {
      assigned_officer: [],
      jurisdiction_departments: [],
      department_head: [{ kind: 'sms', phone }],
      leader_in_charge: [],
      principal_leader: [],
      reward_officer: [],
    },
    version: 1,
    updatedAt: '2026-12-01T02:00:00.000Z',
    updatedBy: { userId: 'demo:cq-gecheng.administrator', name: '金鑫' },
    edits: [],
  });

  it("reaches a jurisdiction's office recipient at the contacts its administrators keep, read at each message, and logs no phone", async () => {
    const sns = mockClient(SNSClient);
    sns.on(PublishCommand).resolves({ MessageId: 's1' });
    let stored = lists('13900139000');
    const reads: string[] = [];
    useDependencies({
      eventStore: () => new MemoryEventStore() as never,
      policyStore: () =>
        ({
          jurisdictionContacts: async (jurisdiction: string) => {
            reads.push(jurisdiction);
            return jurisdiction === 'cq-gecheng' ? stored : undefined;
          },
        }) as never,
    });
    const info = vi.spyOn(logger, 'info');
    try {
      const notifier = notifierFromEnvironment({ CONTACT_DIRECTORY_JSON: '{}', TABLE_NAME: 't' });
      expect(await deliverNotifications(sqsEvent(enveloped(notification)), notifier)).toEqual({
        batchItemFailures: [],
      });
      // The administrator edits the list: the next message reaches the new number.
      stored = lists('13600136000');
      await deliverNotifications(sqsEvent(enveloped(notification)), notifier);
      expect(
        sns.commandCalls(PublishCommand).map((call) => call.args[0].input.PhoneNumber),
      ).toEqual(['+8613900139000', '+8613600136000']);
      expect(reads).toEqual(['cq-gecheng', 'cq-gecheng']);
      expect(JSON.stringify(info.mock.calls)).not.toMatch(/13900139000|13600136000/);
      // Nobody on file elsewhere: the message fails, to be retried, naming no contact.
      const error = vi.spyOn(logger, 'error');
      const elsewhere = { ...notification, to: 'department_head@fj-xiamen-xiangan' };
      expect(await deliverNotifications(sqsEvent(JSON.stringify(elsewhere)), notifier)).toEqual({
        batchItemFailures: [{ itemIdentifier: 'm1' }],
      });
      expect(error.mock.calls[0]?.[1]).toMatchObject({
        reason: expect.stringMatching(/Nobody to tell/),
      });
    } finally {
      resetDependencies();
      sns.restore();
    }
  });
});
