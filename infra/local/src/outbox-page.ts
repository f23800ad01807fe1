import type { OutboxContact, OutboxEntry } from '@qingling/shared/adapters/local/file-outbox.ts';

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (character) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character] ??
      character,
  );

/** A robot is shown by its host: the rest of its URL is its token. */
const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return '?';
  }
};

const contactText = (contact: OutboxContact) => {
  switch (contact.kind) {
    case 'sms':
      return `短信 SMS ${contact.phone}`;
    case 'email':
      return `邮件 E-mail ${contact.address}`;
    case 'wecom':
      return `企业微信群机器人 WeCom robot (${hostOf(contact.url)})`;
    case 'dingtalk':
      return `钉钉群机器人 DingTalk robot (${hostOf(contact.url)})`;
  }
};

function reached(entry: OutboxEntry): string {
  if (!entry.contacts) return '';
  const list = entry.contacts.length
    ? entry.contacts.map((contact) => escapeHtml(contactText(contact))).join('<br>')
    : '无人可送达：该地址没有联系方式（在 AWS 上此消息会进入死信队列）。<span lang="en">Nobody on file for this address (on AWS the message would wait in the dead-letter queue).</span>';
  return `\n    <dt>送达 Reached</dt><dd>${list}</dd>`;
}

/** The embedded cloud's dev mailbox: every e-mail, SMS and webhook the system "sent". */
export function renderOutboxPage(entries: readonly OutboxEntry[]): string {
  const rows = [...entries]
    .reverse()
    .map(
      (entry) => `<article>
  <h2>${escapeHtml(entry.subject.zh)} <span lang="en">${escapeHtml(entry.subject.en)}</span></h2>
  <dl>
    <dt>渠道 Channel</dt><dd>${escapeHtml(entry.channel)}</dd>
    <dt>收件人 To</dt><dd>${escapeHtml(entry.to)}</dd>${reached(entry)}
    <dt>时间 Sent</dt><dd><time datetime="${escapeHtml(entry.sentAt)}">${escapeHtml(entry.sentAt)}</time></dd>
    <dt>去重键 Key</dt><dd><code>${escapeHtml(entry.key)}</code></dd>
  </dl>
  <p>${escapeHtml(entry.body.zh)}</p>
  <p lang="en">${escapeHtml(entry.body.en)}</p>
</article>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>发件箱 Outbox · 清零 Qingling (local)</title>
<style>
body{font-family:system-ui,sans-serif;margin:0 auto;max-width:48rem;padding:1rem;line-height:1.5;color:#1a1a1a}
article{border:1px solid #767676;border-radius:.5rem;padding:.75rem 1rem;margin:.75rem 0}
h2{font-size:1.1rem;margin:.25rem 0} dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:.5rem 0}
dt{font-weight:600} dd{margin:0;overflow-wrap:anywhere} a{color:#0645ad}
</style>
</head>
<body>
<main>
<h1>发件箱 <span lang="en">Outbox</span></h1>
<p>本机运行时不发送真实短信、邮件或群机器人消息，所有通知都记录在这里。
<span lang="en">On the embedded cloud nothing leaves the machine: every notification is recorded here.</span></p>
<p>共 ${entries.length} 条 <span lang="en">(${entries.length} in all)</span> · <a href="/">返回首页 Home</a></p>
${rows || '<p>暂无通知。<span lang="en">Nothing sent yet.</span></p>'}
</main>
</body>
</html>`;
}
