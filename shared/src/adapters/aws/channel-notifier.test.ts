import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { StaticContactDirectory } from '../../notifications/directory.ts';
import {
  dingtalkRobotMessage,
  dingtalkSignedUrl,
  emailMessage,
  shortKey,
  smsText,
  wecomRobotMessage,
} from '../../notifications/formats.ts';
import type { Notification, SmsMessage } from '../../ports/outbox.ts';
import {
  ChannelNotifier,
  type ChannelNotifierOptions,
  type SkippedContact,
} from './channel-notifier.ts';

const ses = mockClient(SESv2Client);
const sns = mockClient(SNSClient);

const wecomUrl = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=wecom-token';
const dingtalkUrl = 'https://oapi.dingtalk.com/robot/send?access_token=dingtalk-token';
const directory = new StaticContactDirectory({
  'department_head@cq-gecheng': [
    { kind: 'email', address: 'anquan@example.cn' },
    { kind: 'sms', phone: '+8613800138000' },
    { kind: 'wecom', url: wecomUrl },
    { kind: 'dingtalk', url: dingtalkUrl, secret: 'SECdingtalk' },
  ],
  'assigned_officer@cq-gecheng': [{ kind: 'email', address: 'li.ming@example.cn' }],
});

const notification: Notification = {
  key: 'H1#1#notice_letter#department_head',
  channel: 'sms',
  to: 'department_head@cq-gecheng',
  subject: { zh: '函告：仓库', en: 'Notice letter: warehouse' },
  body: { zh: '隐患“消防通道堵塞”请按要求处理。', en: 'Hazard "fire exit blocked" is due.' },
};

const now = new Date('2026-03-01T08:00:00Z');
const answer = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });
let robots: ReturnType<typeof vi.fn<typeof fetch>>;

const notifier = (options: Partial<ChannelNotifierOptions> = {}) =>
  new ChannelNotifier({
    directory,
    ses: new SESv2Client({}),
    sns: new SNSClient({}),
    fetch: robots,
    fromAddress: 'notify@qingling.example.cn',
    clock: { now: () => now },
    ...options,
  });

const posted = (url: string) => {
  const call = robots.mock.calls.find(([target]) => String(target).startsWith(url));
  return call && { url: String(call[0]), body: JSON.parse(String(call[1]?.body)) };
};

beforeEach(() => {
  ses.reset();
  sns.reset();
  ses.on(SendEmailCommand).resolves({ MessageId: 'e1' });
  sns.on(PublishCommand).resolves({ MessageId: 's1' });
  robots = vi.fn<typeof fetch>(async () => answer(200, { errcode: 0, errmsg: 'ok' }));
});

describe('ChannelNotifier', () => {
  it('sends each contact its own format, the key on every channel', async () => {
    await notifier().send(notification);

    const email = emailMessage(notification);
    expect(ses.commandCalls(SendEmailCommand).map((call) => call.args[0].input)).toEqual([
      {
        FromEmailAddress: 'notify@qingling.example.cn',
        Destination: { ToAddresses: ['anquan@example.cn'] },
        Content: {
          Simple: {
            Subject: { Data: email.subject, Charset: 'UTF-8' },
            Body: {
              Text: { Data: email.text, Charset: 'UTF-8' },
              Html: { Data: email.html, Charset: 'UTF-8' },
            },
            Headers: [{ Name: 'X-Qingling-Key', Value: notification.key }],
          },
        },
        EmailTags: [{ Name: 'key', Value: 'H1_1_notice_letter_department_head' }],
      },
    ]);
    expect(email.text).toContain(notification.key);

    expect(sns.commandCalls(PublishCommand).map((call) => call.args[0].input)).toEqual([
      {
        PhoneNumber: '+8613800138000',
        Message: smsText(notification),
        MessageAttributes: {
          'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
        },
      },
    ]);
    expect(smsText(notification).endsWith(shortKey(notification.key))).toBe(true);

    expect(robots).toHaveBeenCalledTimes(2);
    expect(robots.mock.calls[0]?.[1]).toMatchObject({
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(posted(wecomUrl)).toEqual({ url: wecomUrl, body: wecomRobotMessage(notification) });
    expect(posted(dingtalkUrl)).toEqual({
      url: await dingtalkSignedUrl(dingtalkUrl, 'SECdingtalk', now.getTime()),
      body: dingtalkRobotMessage(notification),
    });
    expect(posted(wecomUrl)?.body.markdown.content).toContain(notification.key);
    expect(posted(dingtalkUrl)?.body.markdown.text).toContain(notification.key);
  });

  it('signs the SMS with the signature the deployment registered', async () => {
    await notifier({ smsSignature: '某区应急管理局' }).send(notification);
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input.Message).toMatch(
      /^【某区应急管理局】/,
    );
  });

  it('posts to an unsigned DingTalk robot as configured', async () => {
    const unsigned = new StaticContactDirectory({
      'department_head@cq-gecheng': [{ kind: 'dingtalk', url: dingtalkUrl }],
    });
    await notifier({ directory: unsigned }).send(notification);
    expect(posted(dingtalkUrl)?.url).toBe(dingtalkUrl);
  });

  it('tries every contact before it throws for a robot answering HTTP 500', async () => {
    robots.mockImplementation(async (url) =>
      String(url).startsWith(wecomUrl) ? answer(500, {}) : answer(200, { errcode: 0 }),
    );
    const sending = notifier().send(notification);
    await expect(sending).rejects.toThrow(
      'H1#1#notice_letter#department_head not delivered to 1 of 4 contacts of department_head@cq-gecheng: wecom contact 3: WeCom robot answered HTTP 500',
    );
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    expect(robots).toHaveBeenCalledTimes(2);
  });

  it('throws for a robot answering 200 with an errcode other than 0', async () => {
    robots.mockImplementation(async (url) =>
      String(url).startsWith(dingtalkUrl)
        ? answer(200, { errcode: 310000, errmsg: 'keywords not in content' })
        : answer(200, { errcode: 0 }),
    );
    await expect(notifier().send(notification)).rejects.toThrow(
      'dingtalk contact 4: DingTalk robot answered errcode 310000: keywords not in content',
    );
    expect(robots).toHaveBeenCalledTimes(2);
  });

  it('throws for a robot answering something other than its JSON', async () => {
    robots.mockImplementation(async () => new Response('<html>gateway</html>', { status: 200 }));
    await expect(notifier().send(notification)).rejects.toThrow(
      /2 of 4 contacts.*WeCom robot answered errcode undefined/,
    );
  });

  it('names a failed SDK call without quoting it, as its message may hold the number', async () => {
    const refusal = new Error('Invalid parameter: PhoneNumber +8613800138000');
    refusal.name = 'InvalidParameterException';
    sns.on(PublishCommand).rejects(refusal);
    const sending = notifier().send(notification);
    await expect(sending).rejects.toThrow('sms contact 2: InvalidParameterException');
    await expect(sending).rejects.not.toThrow(/13800138000/);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    expect(robots).toHaveBeenCalledTimes(2);
  });

  it('never puts a webhook token, a phone or an address in its errors', async () => {
    ses.on(SendEmailCommand).rejects(new Error('anquan@example.cn is not verified'));
    sns.on(PublishCommand).rejects(new Error('+8613800138000 opted out'));
    robots.mockImplementation(async () => {
      throw new TypeError(`fetch failed: ${wecomUrl}`);
    });
    const error = await notifier()
      .send(notification)
      .catch((thrown: Error) => thrown);
    expect(String(error)).toMatch(/4 of 4 contacts/);
    expect(String(error)).not.toMatch(/token|13800138000|anquan/);
  });

  it('refuses a notification to nobody: an unknown recipient is a configuration error', async () => {
    await expect(
      notifier().send({ ...notification, to: 'leader_in_charge@cq-gecheng' }),
    ).rejects.toThrow('Nobody to tell: no contact for leader_in_charge@cq-gecheng');
  });

  it('skips e-mail where SES is not configured, and delivers on the other channels', async () => {
    await notifier({ fromAddress: undefined }).send(notification);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    expect(robots).toHaveBeenCalledTimes(2);
  });

  it('throws when the skipping leaves nobody to tell', async () => {
    await expect(
      notifier({ fromAddress: undefined }).send({
        ...notification,
        to: 'assigned_officer@cq-gecheng',
      }),
    ).rejects.toThrow(
      'Nobody to tell: assigned_officer@cq-gecheng has only email contacts, which this deployment cannot send',
    );
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  it('sends SMS through another sender when given one (China), never through SNS', async () => {
    const sent: SmsMessage[] = [];
    await notifier({ sns: undefined, sms: { send: async (sms) => void sent.push(sms) } }).send(
      notification,
    );
    expect(sent).toEqual([
      { to: '+8613800138000', text: smsText(notification), key: notification.key },
    ]);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('skips SMS where there is no SMS sender, telling whom it skipped by position only', async () => {
    const skipped: SkippedContact[] = [];
    await notifier({ sns: undefined, onSkipped: (contact) => skipped.push(contact) }).send(
      notification,
    );
    expect(skipped).toEqual([
      { key: notification.key, to: 'department_head@cq-gecheng', kind: 'sms', position: 2 },
    ]);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    expect(robots).toHaveBeenCalledTimes(2);

    const smsOnly = new StaticContactDirectory({
      'department_head@cq-gecheng': [{ kind: 'sms', phone: '13800138000' }],
    });
    await expect(
      notifier({ directory: smsOnly, sns: undefined }).send(notification),
    ).rejects.toThrow('has only sms contacts, which this deployment cannot send');
  });

  it('sends a key that is not printable ASCII in the body and the tag, not as a header', async () => {
    await notifier().send({
      ...notification,
      key: '隐患H1#第1轮',
      to: 'assigned_officer@cq-gecheng',
    });
    const input = ses.commandCalls(SendEmailCommand)[0]?.args[0].input;
    expect(input?.Content?.Simple?.Headers).toBeUndefined();
    expect(input?.Content?.Simple?.Body?.Text?.Data).toContain('隐患H1#第1轮');
    expect(input?.EmailTags).toEqual([{ Name: 'key', Value: '__H1__1_' }]);
  });

  it('needs the key', async () => {
    await expect(notifier().send({ ...notification, key: '' })).rejects.toThrow(/key/);
    expect(ses.calls()).toHaveLength(0);
    expect(robots).not.toHaveBeenCalled();
  });
});
