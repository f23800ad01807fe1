import type { Notification } from '../ports/outbox.ts';

/**
 * What each channel shows of a Notification: zh-CN first, English beside it, and the
 * notification's key on every channel, because delivery is at least once and a receiver
 * drops a duplicate by its key. Pure functions: the senders are in
 * adapters/aws/channel-notifier.ts.
 */

export const smsMaxChars = 300;
export const wecomMaxContentBytes = 4096;
export const dingtalkMaxTextChars = 5000;

const ellipsis = '…';
const utf8 = new TextEncoder();
const utf8Bytes = (text: string) => utf8.encode(text).length;
// UTF-16 units: what carriers and DingTalk (Java) count, never fewer than the characters.
const utf16Units = (text: string) => text.length;
const characters = new Intl.Segmenter('zh-CN', { granularity: 'grapheme' });

/** Cuts text to fit a measured limit between whole characters, marking the cut. */
function clip(text: string, limit: number, measure: (text: string) => number): string {
  if (measure(text) <= limit) return text;
  const room = limit - measure(ellipsis);
  let kept = '';
  let used = 0;
  for (const { segment } of characters.segment(text)) {
    used += measure(segment);
    if (used > room) break;
    kept += segment;
  }
  return kept + ellipsis;
}

/** zh first: the English body never takes more than half of the room the Chinese needs. */
function fitBodies(zh: string, en: string, room: number, measure: (text: string) => number) {
  const englishShare = Math.min(measure(en), Math.floor(room / 2));
  const fittedZh = clip(zh, room - englishShare, measure);
  return { zh: fittedZh, en: clip(en, room - measure(fittedZh), measure) };
}

/**
 * A short code of the key (FNV-1a, base 36) for people: it ends an SMS, where the whole
 * key would not fit, and sits beside the key elsewhere, so that one notification reads
 * the same on every channel.
 */
export function shortKey(key: string): string {
  let hash = 0x811c9dc5;
  for (const byte of utf8.encode(key)) {
    hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  }
  return hash.toString(36).toUpperCase().padStart(7, '0');
}

const keyLine = (n: Notification) =>
  `清零 Qingling · 消息编号 / Message key: ${n.key} · ${shortKey(n.key)}`;

const htmlEntities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const html = (text: string) =>
  text
    .replace(/[&<>"']/g, (character) => htmlEntities[character] ?? character)
    .replace(/\n/g, '<br>');

export function emailMessage(n: Notification): { subject: string; text: string; html: string } {
  const text = [n.subject.zh, n.body.zh, n.subject.en, n.body.en, `-- \n${keyLine(n)}`].join(
    '\n\n',
  );
  const page = [
    '<!doctype html>',
    '<html lang="zh-CN"><head><meta charset="utf-8"></head><body>',
    `<h2>${html(n.subject.zh)}</h2>`,
    `<p>${html(n.body.zh)}</p>`,
    '<hr>',
    `<div lang="en"><h2>${html(n.subject.en)}</h2>`,
    `<p>${html(n.body.en)}</p></div>`,
    `<p style="color:#666;font-size:12px">${html(keyLine(n))}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject: `${n.subject.zh} / ${n.subject.en}`, text, html: page };
}

/** Chinese only, as SMS in China is read, on one line, after the registered signature. */
export function smsText(n: Notification, signature = '清零'): string {
  const head = `【${signature}】`;
  const tail = `编号：${shortKey(n.key)}`;
  const message = `${n.subject.zh}。${n.body.zh}`.replace(/\s+/g, ' ').trim();
  return head + clipKeepingLink(message, smsMaxChars - head.length - tail.length) + tail;
}

const endingLink = /https?:\/\/\S+$/;
/** The few words that name a link just before it ("提交整改情况："). */
const linkLabel = /[^\s。，；]{1,12}[：:] ?$/;

/**
 * Cuts an SMS to fit, but never the link that ends it (the enterprise's link, issue 14): a
 * cut link opens nothing, so the words before it are cut instead, its label kept with it.
 */
function clipKeepingLink(message: string, room: number): string {
  const link = message.match(endingLink)?.[0];
  // A link longer than the room leaves no words to tell what it is: cut as any text.
  if (!link || utf16Units(message) <= room || utf16Units(link) > room - 40) {
    return clip(message, room, utf16Units);
  }
  const before = message.slice(0, -link.length);
  const label = before.match(linkLabel)?.[0] ?? '';
  const words = before.slice(0, before.length - label.length).trimEnd();
  return clip(words, room - utf16Units(label) - utf16Units(link), utf16Units) + label + link;
}

/**
 * Markdown characters in text people wrote become their full-width look-alikes: a
 * tipster's description must not turn into a link, a quote or a tag in an office's group.
 */
const markdownCharacters = /[\\`*_[\]<>#]/g;
const plain = (text: string) =>
  text.replace(markdownCharacters, (character) =>
    String.fromCharCode(character.charCodeAt(0) + 0xfee0),
  );

function robotMarkdown(n: Notification, limit: number, measure: (text: string) => number) {
  const compose = (zh: string, en: string) =>
    [
      `**${plain(n.subject.zh)}**`,
      zh,
      `**${plain(n.subject.en)}**`,
      en,
      `> 清零 Qingling · 消息编号 / Message key: \`${n.key}\` · ${shortKey(n.key)}`,
    ].join('\n\n');
  const bodies = fitBodies(
    plain(n.body.zh),
    plain(n.body.en),
    limit - measure(compose('', '')),
    measure,
  );
  return compose(bodies.zh, bodies.en);
}

/** The body of a WeCom (企业微信) group robot message. */
export function wecomRobotMessage(n: Notification) {
  return {
    msgtype: 'markdown',
    markdown: { content: robotMarkdown(n, wecomMaxContentBytes, utf8Bytes) },
  } as const;
}

/** The body of a DingTalk (钉钉) group robot message; the title is what the chat list shows. */
export function dingtalkRobotMessage(n: Notification) {
  return {
    msgtype: 'markdown',
    markdown: {
      title: `${n.subject.zh} / ${n.subject.en}`,
      text: robotMarkdown(n, dingtalkMaxTextChars, utf16Units),
    },
  } as const;
}

/**
 * A DingTalk robot's webhook URL signed per its "加签" rule: the signature is the base64
 * HMAC-SHA256 of "timestamp\nsecret" keyed by the secret; DingTalk refuses a timestamp
 * more than an hour from its own clock. WebCrypto, like the rest of the shared code.
 */
export async function dingtalkSignedUrl(
  webhookUrl: string,
  secret: string,
  timestampMs: number,
): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    utf8.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = new Uint8Array(
    await crypto.subtle.sign('HMAC', key, utf8.encode(`${timestampMs}\n${secret}`)),
  );
  const url = new URL(webhookUrl);
  // searchParams percent-encodes the base64's + / and =, which is the rule's urlEncode.
  url.searchParams.set('timestamp', String(timestampMs));
  url.searchParams.set('sign', btoa(String.fromCharCode(...mac)));
  return url.toString();
}
