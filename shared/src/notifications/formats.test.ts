import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Notification } from '../ports/outbox.ts';
import {
  dingtalkMaxTextChars,
  dingtalkRobotMessage,
  dingtalkSignedUrl,
  emailMessage,
  shortKey,
  smsMaxChars,
  smsText,
  wecomMaxContentBytes,
  wecomRobotMessage,
} from './formats.ts';

const notification: Notification = {
  key: 'H1#1#notice_letter#enterprise_principal',
  channel: 'sms',
  to: 'enterprise_principal@cq-gecheng',
  subject: { zh: '函告：仓库', en: 'Notice letter: warehouse' },
  body: {
    zh: '隐患“消防通道堵塞”整改期限为 2026-03-01，请按要求处理。',
    en: 'Hazard "fire exit blocked" is due for rectification by 2026-03-01.',
  },
};

// A description at the tip form's limit (2,000 characters), in both bodies as the lifecycle does.
const long = (text: string) => ({
  ...notification,
  body: { zh: `隐患“${text}”请按要求处理。`, en: `Hazard "${text}" is due.` },
});
const longChinese = long('堵'.repeat(2000));

const bytes = (text: string) => new TextEncoder().encode(text).length;

describe('shortKey', () => {
  it('is seven characters of base 36, the same for the same key and not for another', () => {
    expect(shortKey(notification.key)).toMatch(/^[0-9A-Z]{7}$/);
    expect(shortKey(notification.key)).toBe(shortKey(`${notification.key}`));
    expect(shortKey(notification.key)).not.toBe(shortKey('H1#1#notice_letter#assigned_officer'));
  });
});

describe('emailMessage', () => {
  it('puts Chinese first and English beside it, in the subject and in both bodies', () => {
    const email = emailMessage(notification);
    expect(email.subject).toBe('函告：仓库 / Notice letter: warehouse');
    expect(email.text.indexOf('消防通道堵塞')).toBeLessThan(email.text.indexOf('fire exit'));
    expect(email.html.indexOf('消防通道堵塞')).toBeLessThan(email.html.indexOf('fire exit'));
    expect(email.html).toContain('lang="zh-CN"');
  });

  it('ends both bodies with the key, so a receiver can drop a duplicate', () => {
    const email = emailMessage(notification);
    const footer = `消息编号 / Message key: ${notification.key} · ${shortKey(notification.key)}`;
    expect(email.text.trimEnd().endsWith(footer)).toBe(true);
    expect(email.html).toContain(footer);
  });

  it('escapes what people wrote in the HTML body, and keeps it as written in the text', () => {
    const email = emailMessage(long('<script>alert("x")</script> & more'));
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more');
    expect(email.text).toContain('<script>alert("x")</script> & more');
  });
});

describe('smsText', () => {
  it('is Chinese only, after the signature, ending with the short key', () => {
    const text = smsText(notification);
    expect(text).toBe(
      `【清零】函告：仓库。隐患“消防通道堵塞”整改期限为 2026-03-01，请按要求处理。编号：${shortKey(notification.key)}`,
    );
    expect(text).not.toContain('Notice');
  });

  it('takes the signature the deployment registered', () => {
    expect(smsText(notification, '某区应急管理局')).toMatch(/^【某区应急管理局】函告/);
  });

  it('is trimmed to 300 characters with an ellipsis, keeping the signature and the key', () => {
    const text = smsText(longChinese);
    expect(text).toHaveLength(smsMaxChars);
    expect(text.startsWith('【清零】函告：仓库。')).toBe(true);
    expect(text.endsWith(`…编号：${shortKey(notification.key)}`)).toBe(true);
  });

  it('never cuts a character in two', () => {
    // One unit before the two-unit emoji puts a plain cut in the middle of one.
    const text = smsText(long(`一${'🔥'.repeat(400)}`));
    expect(text.length).toBeLessThanOrEqual(smsMaxChars);
    expect(text).toMatch(/🔥…编号/);
    expect(text.isWellFormed()).toBe(true);
  });

  it('puts a multi-line description on one line', () => {
    expect(smsText(long('第一行\n\n第二行'))).toContain('第一行 第二行');
  });

  it('keeps a link at the end whole, cutting the words before it instead', () => {
    // The enterprise's link (issue 14): a cut link opens nothing.
    const link = `https://qingling.example.gov.cn/enterprise/#${'a'.repeat(60)}.${'b'.repeat(43)}`;
    const text = smsText({
      ...notification,
      body: { zh: `${'很长的说明'.repeat(60)}\n提交整改情况：${link}`, en: link },
    });
    expect(text.length).toBeLessThanOrEqual(smsMaxChars);
    expect(text).toContain(`…提交整改情况：${link}编号：`);
    expect(text.startsWith('【清零】函告：仓库。很长的说明')).toBe(true);
    // A short message with a link is left as it is.
    expect(smsText({ ...notification, body: { zh: `见 ${link}`, en: '' } })).toContain(
      `。见 ${link}编号：`,
    );
  });
});

describe('wecomRobotMessage', () => {
  it('is markdown with bold titles, zh then en, and the key', () => {
    const { msgtype, markdown } = wecomRobotMessage(notification);
    expect(msgtype).toBe('markdown');
    expect(markdown.content).toBe(
      [
        '**函告：仓库**',
        notification.body.zh,
        '**Notice letter: warehouse**',
        notification.body.en,
        `> 清零 Qingling · 消息编号 / Message key: \`${notification.key}\` · ${shortKey(notification.key)}`,
      ].join('\n\n'),
    );
  });

  it('fits 4096 bytes of UTF-8 for the longest description, keeping English and the key', () => {
    const { content } = wecomRobotMessage(longChinese).markdown;
    expect(bytes(content)).toBeLessThanOrEqual(wecomMaxContentBytes);
    expect(bytes(content)).toBeGreaterThan(wecomMaxContentBytes - 4);
    expect(content.isWellFormed()).toBe(true);
    expect(content).toContain('堵…');
    expect(content).toContain('**Notice letter: warehouse**\n\nHazard "堵');
    expect(content.endsWith(shortKey(notification.key))).toBe(true);
  });

  it('never cuts a character in two', () => {
    for (const lead of ['', '一', '一一', '一一一']) {
      const { content } = wecomRobotMessage(long(lead + '🔥'.repeat(2000))).markdown;
      expect(bytes(content)).toBeLessThanOrEqual(wecomMaxContentBytes);
      expect(content.isWellFormed()).toBe(true);
    }
  });

  it('keeps the whole English body when only the Chinese one is long', () => {
    const message = {
      ...longChinese,
      body: { zh: longChinese.body.zh, en: notification.body.en },
    };
    const { content } = wecomRobotMessage(message).markdown;
    expect(bytes(content)).toBeLessThanOrEqual(wecomMaxContentBytes);
    expect(content).toContain(`**Notice letter: warehouse**\n\n${notification.body.en}`);
  });

  it('shows markdown that people wrote as text, not as links or tags', () => {
    const { content } = wecomRobotMessage(
      long('[点此](https://evil.example) <font color="red">#1</font> **'),
    ).markdown;
    expect(content).toContain(
      '［点此］(https://evil.example) ＜font color="red"＞＃1＜/font＞ ＊＊',
    );
    expect(content).not.toContain('[点此]');
  });
});

describe('dingtalkRobotMessage', () => {
  it('is markdown with a title for the chat list, zh then en, and the key', () => {
    const { msgtype, markdown } = dingtalkRobotMessage(notification);
    expect(msgtype).toBe('markdown');
    expect(markdown.title).toBe('函告：仓库 / Notice letter: warehouse');
    expect(markdown.text).toBe(wecomRobotMessage(notification).markdown.content);
  });

  it('fits 5000 characters for the longest description', () => {
    const { text } = dingtalkRobotMessage(long('fire exit blocked '.repeat(400))).markdown;
    expect(text.length).toBeLessThanOrEqual(dingtalkMaxTextChars);
    expect(text.length).toBeGreaterThan(dingtalkMaxTextChars - 2);
    expect(text).toContain(notification.key);
  });
});

describe('dingtalkSignedUrl', () => {
  const webhook = 'https://oapi.dingtalk.com/robot/send?access_token=abc123';
  const secret = 'SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd';

  it('matches a signature computed with Python hmac and urllib quote_plus', async () => {
    // python3: quote_plus(b64encode(hmac.new(secret, f"{ts}\n{secret}", sha256).digest()))
    expect(await dingtalkSignedUrl(webhook, secret, 1700000000015)).toBe(
      `${webhook}&timestamp=1700000000015&sign=WkhwWv%2Fd9lDN%2BiQSL1g%2Bx4dWEUFe%2F9%2BW28zhERrfbFU%3D`,
    );
  });

  it('matches node:crypto for another moment', async () => {
    const timestamp = 1767225600000;
    const sign = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
    const signed = new URL(await dingtalkSignedUrl(webhook, secret, timestamp));
    expect(signed.searchParams.get('access_token')).toBe('abc123');
    expect(signed.searchParams.get('timestamp')).toBe(String(timestamp));
    expect(signed.searchParams.get('sign')).toBe(sign);
  });
});
