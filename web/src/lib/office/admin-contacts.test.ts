import { describe, expect, it } from 'vitest';
import {
  contactsEditOf,
  formOf,
  type JurisdictionContactsView,
  newRow,
  rowPath,
  valueField,
} from './admin-contacts.ts';
import { contactIssues } from './admin-contacts-check.ts';

const empty = {
  assigned_officer: [],
  jurisdiction_departments: [],
  department_head: [],
  leader_in_charge: [],
  principal_leader: [],
  reward_officer: [],
};
const stored: JurisdictionContactsView = {
  jurisdiction: 'cq-gecheng',
  contacts: {
    ...empty,
    leader_in_charge: [
      { kind: 'sms', phone: '13600136000' },
      { kind: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=a', secret: 's' },
    ],
    principal_leader: [{ kind: 'email', address: 'zhang@example.cn' }],
  },
  version: 2,
  edits: [],
};

describe("the contacts page's edit", () => {
  it('sends the lists as read, naming the version read', () => {
    expect(contactsEditOf(stored, formOf(stored))).toEqual({
      contacts: stored.contacts,
      expectedVersion: 2,
    });
    expect(contactIssues(contactsEditOf(stored, formOf(stored)))).toEqual([]);
  });

  it('sends what was typed, trimmed: a contact added, one removed, no empty secret', () => {
    const form = formOf(stored);
    form.principal_leader = [];
    form.department_head.push({ ...newRow('wecom'), value: ' https://qyapi.weixin.qq.com/x ' });
    form.assigned_officer.push({ ...newRow('dingtalk'), value: 'https://oapi.dingtalk.com/r' });
    const body = contactsEditOf({ ...stored, version: 0 }, form);
    expect(body.expectedVersion).toBe(0);
    expect(body.contacts.principal_leader).toEqual([]);
    expect(body.contacts.department_head).toEqual([
      { kind: 'wecom', url: 'https://qyapi.weixin.qq.com/x' },
    ]);
    expect(body.contacts.assigned_officer).toEqual([
      { kind: 'dingtalk', url: 'https://oapi.dingtalk.com/r' },
    ]);
    expect(contactIssues(body)).toEqual([]);
  });

  it('finds what the server would refuse, at the path of the box it was typed in, in both languages', () => {
    const form = formOf(stored);
    form.leader_in_charge.push({ ...newRow('sms'), value: '1360013600' });
    form.principal_leader.push({ ...newRow('email'), value: 'zhang.example.cn' });
    form.department_head.push({ ...newRow('wecom'), value: 'http://insecure.example.cn' });
    const issues = contactIssues(contactsEditOf(stored, form));
    expect(issues.map((issue) => issue.path)).toEqual([
      rowPath('department_head', 0, valueField('wecom')),
      rowPath('leader_in_charge', 2, valueField('sms')),
      rowPath('principal_leader', 1, valueField('email')),
    ]);
    expect(issues[1]?.message).toEqual({
      zh: '须为 11 位中国大陆手机号码。',
      en: 'This must be a mainland mobile number (11 digits).',
    });
    expect(issues[2]?.message.zh).toBe('须为电子邮件地址。');
  });

  it('takes a mobile typed with +86 and spaces; refuses the same contact twice in one list', () => {
    const form = formOf(stored);
    form.assigned_officer.push({ ...newRow('sms'), value: '+86 138 0013 8000' });
    expect(contactIssues(contactsEditOf(stored, form))).toEqual([]);
    form.leader_in_charge.push({ ...newRow('sms'), value: '136-0013-6000' });
    const issues = contactIssues(contactsEditOf(stored, form));
    expect(issues.map((issue) => issue.path)).toEqual(['contacts.leader_in_charge']);
  });
});
