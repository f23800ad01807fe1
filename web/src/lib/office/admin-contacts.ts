import type { Bilingual } from '@qingling/shared/i18n/text.ts';
import {
  type JurisdictionRecipient,
  jurisdictionRecipients,
} from '@qingling/shared/notifications/jurisdiction-recipients.ts';
import type {
  JurisdictionContactsView,
  UpdateJurisdictionContacts,
} from '@qingling/shared/policies/schemas.ts';

/**
 * The administrator's contacts page (/office/admin/contacts): who each office recipient of a
 * jurisdiction is (the e-mails, mobiles and group robots its notifications reach), as a form
 * saved whole through the versioned updateJurisdictionContacts. Pure: the requests are in
 * admin-policy-api.ts, the check before sending in admin-contacts-check.ts (apart: the
 * navigation reads these words on every page, and the schemas are not light).
 */
export type { JurisdictionContactsView };
export { jurisdictionRecipients };

export const contactKinds = ['sms', 'email', 'wecom', 'dingtalk'] as const;
export type ContactKind = (typeof contactKinds)[number];

/** One contact as typed: the kind chosen, its value (mobile, address or webhook), a secret. */
export interface ContactRow {
  /** Stable across edits, for the page's keyed list; never sent. */
  key: number;
  kind: ContactKind;
  value: string;
  /** DingTalk's signing secret (optional); ignored for the other kinds. */
  secret: string;
}

export type ContactsForm = Record<JurisdictionRecipient, ContactRow[]>;

let nextKey = 0;

/** A row for a new contact: a mobile first, the commonest. */
export function newRow(kind: ContactKind = 'sms'): ContactRow {
  nextKey += 1;
  return { key: nextKey, kind, value: '', secret: '' };
}

/** Where a contact's value sits in the request (and so in the issues the schema gives). */
export const valueField = (kind: ContactKind) =>
  kind === 'email' ? 'address' : kind === 'sms' ? 'phone' : 'url';

/** The path of a row's value (or secret) box: the path the schema's issues name. */
export const rowPath = (recipient: JurisdictionRecipient, index: number, field: string) =>
  `contacts.${recipient}.${index}.${field}`;

type StoredContact = JurisdictionContactsView['contacts'][JurisdictionRecipient][number];

function rowOf(contact: StoredContact): ContactRow {
  const row = newRow(contact.kind);
  if (contact.kind === 'email') row.value = contact.address;
  else if (contact.kind === 'sms') row.value = contact.phone;
  else row.value = contact.url;
  if (contact.kind === 'dingtalk') row.secret = contact.secret ?? '';
  return row;
}

/** The form as the lists read (after a load, a save or a 409). */
export function formOf(view: JurisdictionContactsView): ContactsForm {
  return Object.fromEntries(
    jurisdictionRecipients.map((recipient) => [recipient, view.contacts[recipient].map(rowOf)]),
  ) as ContactsForm;
}

function contactOf(row: ContactRow) {
  const value = row.value.trim();
  switch (row.kind) {
    case 'email':
      return { kind: row.kind, address: value };
    case 'sms':
      return { kind: row.kind, phone: value };
    case 'wecom':
      return { kind: row.kind, url: value };
    case 'dingtalk': {
      const secret = row.secret.trim();
      return { kind: row.kind, url: value, ...(secret ? { secret } : {}) };
    }
  }
}

/** What the PUT sends: every list as typed (they replace the stored ones), naming the version read. */
export function contactsEditOf(view: JurisdictionContactsView, form: ContactsForm) {
  return {
    contacts: Object.fromEntries(
      jurisdictionRecipients.map((recipient) => [recipient, form[recipient].map(contactOf)]),
    ) as UpdateJurisdictionContacts['contacts'],
    expectedVersion: view.version,
  };
}

/** The page's words, zh and en side by side (read with `text`). */
export const words = {
  nav: { zh: '联系人', en: 'Contacts' },
  title: { zh: '接收方联系方式', en: 'Who notifications reach' },
  intro: {
    zh: '到期提醒、告知函、通报、约谈等通知按此处登记的联系方式发给本辖区的各接收方（短信、电子邮件、企业微信或钉钉群机器人）。修改后，下一条通知即发往新的联系方式。企业主要负责人和实际控制人按企业档案中的手机号通知，不在此处登记。每次保存都记录版本、修改人和时间。',
    en: "Reminders, notice letters, circulars and summons reach this jurisdiction's office recipients at the contacts entered here (SMS, e-mail, a WeCom or DingTalk group robot). After an edit, the next notification goes to the new contact. An enterprise's principal and actual controller are reached at the mobiles of the enterprise register, not here. Every save records the version, who and when.",
  },
  jurisdiction: { zh: '辖区', en: 'Jurisdiction' },
  loading: { zh: '正在加载…', en: 'Loading…' },
  versionNone: {
    zh: '版本 0：本辖区尚未登记联系方式。',
    en: 'Version 0: no contacts entered here yet.',
  },
  version: { zh: '版本', en: 'Version' },
  editedBy: { zh: '修改人', en: 'edited by' },
  editedAt: { zh: '修改时间', en: 'at' },
  none: { zh: '暂无联系方式：该接收方不会收到通知。', en: 'No contacts: nobody is told.' },
  kind: { zh: '方式', en: 'Channel' },
  sms: { zh: '短信（手机号）', en: 'SMS (mobile)' },
  email: { zh: '电子邮件', en: 'E-mail' },
  wecom: { zh: '企业微信群机器人', en: 'WeCom group robot' },
  dingtalk: { zh: '钉钉群机器人', en: 'DingTalk group robot' },
  smsValue: { zh: '手机号', en: 'Mobile' },
  emailValue: { zh: '电子邮件地址', en: 'E-mail address' },
  wecomValue: { zh: 'Webhook 地址', en: 'Webhook URL' },
  dingtalkValue: { zh: 'Webhook 地址', en: 'Webhook URL' },
  smsHint: {
    zh: '11 位中国大陆手机号，可带 +86。',
    en: 'A mainland mobile, 11 digits (+86 optional).',
  },
  urlHint: { zh: '以 https:// 开头。', en: 'Starting with https://.' },
  secret: { zh: '加签密钥（选填）', en: 'Signing secret (optional)' },
  remove: { zh: '删除', en: 'Remove' },
  save: { zh: '保存联系方式', en: 'Save the contacts' },
  saved: { zh: '已保存，当前为版本', en: 'Saved: now version' },
  conflict: {
    zh: '保存前已有他人修改了本辖区的联系方式。已重新载入最新版本，请核对后再保存。',
    en: "Someone changed this jurisdiction's contacts before you saved. The latest version is loaded: check it and save again.",
  },
  invalid: { zh: '未保存：请按提示修改标出的内容。', en: 'Not saved: fix what is marked.' },
} satisfies Record<string, Bilingual>;
