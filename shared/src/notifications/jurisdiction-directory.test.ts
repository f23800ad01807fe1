import { describe, expect, it } from 'vitest';
import { validate } from '../api/validation.ts';
import { enterpriseProjection, enterpriseStream } from '../enterprises/enterprise.ts';
import { MemoryEventStore } from '../event-log/memory-event-store.ts';
import type { StoredJurisdictionContacts } from '../policies/policies.ts';
import type { JurisdictionContactsSource } from '../policies/policy-source.ts';
import {
  type JurisdictionContactLists,
  jurisdictionContactListsSchema,
} from '../policies/schemas.ts';
import {
  type Contact,
  type ContactDirectory,
  contactSchema,
  MergedContactDirectory,
  StaticContactDirectory,
} from './directory.ts';
import { JurisdictionContactDirectory, recordContactDirectory } from './jurisdiction-directory.ts';

const by = { userId: 'demo:cq-gecheng.administrator', name: '金鑫' };

/** The table as the directory sees it: one jurisdiction's lists, edited by the test. */
class Lists implements JurisdictionContactsSource {
  readonly stored = new Map<string, StoredJurisdictionContacts>();
  reads = 0;
  failing = false;

  set(jurisdiction: string, lists: Partial<JurisdictionContactLists>) {
    const parsed = jurisdictionContactListsSchema.parse(lists);
    const version = (this.stored.get(jurisdiction)?.version ?? 0) + 1;
    this.stored.set(jurisdiction, {
      jurisdiction,
      contacts: parsed,
      version,
      updatedAt: '2026-12-01T02:00:00.000Z',
      updatedBy: by,
      edits: [],
    });
  }

  async jurisdictionContacts(jurisdiction: string) {
    this.reads += 1;
    if (this.failing) throw new Error('table unavailable');
    return this.stored.get(jurisdiction);
  }
}

describe('JurisdictionContactDirectory', () => {
  it("resolves a jurisdiction's office recipient to the contacts its administrators keep", async () => {
    const lists = new Lists();
    lists.set('cq-gecheng', {
      leader_in_charge: [
        { kind: 'sms', phone: '+86 139-0013-9000' },
        { kind: 'email', address: 'zhangwei@example.gov.cn' },
      ],
      jurisdiction_departments: [
        { kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1' },
      ],
    });
    const directory = new JurisdictionContactDirectory(lists);
    expect(await directory.resolve('leader_in_charge@cq-gecheng')).toEqual([
      { kind: 'sms', phone: '13900139000' },
      { kind: 'email', address: 'zhangwei@example.gov.cn' },
    ]);
    expect(await directory.resolve('jurisdiction_departments@cq-gecheng')).toHaveLength(1);
    // Nobody on file: a recipient without contacts, another jurisdiction.
    expect(await directory.resolve('principal_leader@cq-gecheng')).toEqual([]);
    expect(await directory.resolve('leader_in_charge@fj-xiamen-xiangan')).toEqual([]);
  });

  it('reads at each message: the next one after an edit reaches the new contact', async () => {
    const lists = new Lists();
    const directory = new JurisdictionContactDirectory(lists);
    lists.set('cq-gecheng', { leader_in_charge: [{ kind: 'sms', phone: '13900139000' }] });
    expect(await directory.resolve('leader_in_charge@cq-gecheng')).toEqual([
      { kind: 'sms', phone: '13900139000' },
    ]);
    lists.set('cq-gecheng', { leader_in_charge: [{ kind: 'sms', phone: '13600136000' }] });
    expect(await directory.resolve('leader_in_charge@cq-gecheng')).toEqual([
      { kind: 'sms', phone: '13600136000' },
    ]);
  });

  it("answers nothing, without reading, for addresses that are not a jurisdiction's office recipients", async () => {
    const lists = new Lists();
    lists.set('cq-gecheng', { leader_in_charge: [{ kind: 'sms', phone: '13900139000' }] });
    const directory = new JurisdictionContactDirectory(lists);
    for (const to of [
      'enterprise_principal@91350100M000100Y43',
      'public_page@cq-gecheng',
      'mayor@cq-gecheng',
      'toString@cq-gecheng',
      'leader_in_charge',
      'leader_in_charge@',
      'leader_in_charge@cq-gecheng@x',
    ]) {
      expect(await directory.resolve(to), to).toEqual([]);
    }
    expect(lists.reads).toBe(0);
  });

  it('does not hand out the stored list to be changed', async () => {
    const lists = new Lists();
    lists.set('cq-gecheng', { leader_in_charge: [{ kind: 'sms', phone: '13900139000' }] });
    const directory = new JurisdictionContactDirectory(lists);
    const answer = await directory.resolve('leader_in_charge@cq-gecheng');
    answer.pop();
    (answer as Contact[]).push({ kind: 'sms', phone: '13000000000' });
    expect(await directory.resolve('leader_in_charge@cq-gecheng')).toEqual([
      { kind: 'sms', phone: '13900139000' },
    ]);
  });
});

describe('MergedContactDirectory', () => {
  const fixed = (contacts: Contact[]): ContactDirectory => ({ resolve: async () => contacts });

  it("lists every directory's contacts in order, each once", async () => {
    const merged = new MergedContactDirectory([
      fixed([{ kind: 'sms', phone: '13900139000' }]),
      fixed([
        { kind: 'email', address: 'zhangwei@example.gov.cn' },
        { kind: 'sms', phone: '13900139000' },
      ]),
    ]);
    expect(await merged.resolve('leader_in_charge@cq-gecheng')).toEqual([
      { kind: 'sms', phone: '13900139000' },
      { kind: 'email', address: 'zhangwei@example.gov.cn' },
    ]);
  });

  it('fails when one directory cannot answer, rather than telling fewer people', async () => {
    const merged = new MergedContactDirectory([
      fixed([{ kind: 'sms', phone: '13900139000' }]),
      {
        resolve: async () => {
          throw new Error('table unavailable');
        },
      },
    ]);
    await expect(merged.resolve('leader_in_charge@cq-gecheng')).rejects.toThrow(
      'table unavailable',
    );
  });
});

describe('recordContactDirectory: the register, the contact lists, then the configuration', () => {
  const uscc = '91350100M000100Y43';

  /** The same enterprise on two jurisdictions' registers, each with its own people. */
  async function registered() {
    const events = new MemoryEventStore();
    const people = {
      'cq-gecheng': ['13800138001', '13800138002'],
      'fj-xiamen-xiangan': ['13700137001', '13700137002'],
    };
    for (const [jurisdiction, [principal = '', controller = '']] of Object.entries(people)) {
      await events.append(
        enterpriseStream(jurisdiction, uscc),
        null,
        {
          type: 'enterprise_registered',
          at: '2026-11-20T02:00:00.000Z',
          actor: { kind: 'person', id: `demo:${jurisdiction}.officer` },
          data: {
            uscc,
            name: '东门仓储有限公司',
            address: '东门路 18 号',
            industry: 'fire',
            jurisdiction,
            principal: { name: '王某', mobile: principal },
            controller: { name: '赵某', mobile: controller },
            contacts: [],
          },
        },
        enterpriseProjection,
      );
    }
    return events;
  }

  it('reaches each kind of address from its source, and the configured contacts beside them', async () => {
    const lists = new Lists();
    lists.set('cq-gecheng', {
      leader_in_charge: [{ kind: 'sms', phone: '13900139000' }],
    });
    const directory = recordContactDirectory({
      events: await registered(),
      contacts: lists,
      configured: new StaticContactDirectory({
        'leader_in_charge@cq-gecheng': [
          { kind: 'sms', phone: '13900139000' },
          { kind: 'email', address: 'duty@example.gov.cn' },
        ],
        [`enterprise_principal@cq-gecheng/${uscc}`]: [
          { kind: 'email', address: 'anquan@example.cn' },
        ],
      }),
    });
    expect(await directory.resolve('leader_in_charge@cq-gecheng')).toEqual([
      { kind: 'sms', phone: '13900139000' },
      { kind: 'email', address: 'duty@example.gov.cn' },
    ]);
    expect(await directory.resolve(`enterprise_principal@cq-gecheng/${uscc}`)).toEqual([
      { kind: 'sms', phone: '13800138001' },
      { kind: 'email', address: 'anquan@example.cn' },
    ]);
    expect(await directory.resolve(`enterprise_controller@cq-gecheng/${uscc}`)).toEqual([
      { kind: 'sms', phone: '13800138002' },
    ]);
    // The same code in another jurisdiction: that jurisdiction's record, and only its people.
    expect(await directory.resolve(`enterprise_principal@fj-xiamen-xiangan/${uscc}`)).toEqual([
      { kind: 'sms', phone: '13700137001' },
    ]);
    expect(await directory.resolve(`enterprise_controller@fj-xiamen-xiangan/${uscc}`)).toEqual([
      { kind: 'sms', phone: '13700137002' },
    ]);
    // Not on that jurisdiction's register, or no jurisdiction named: nobody.
    expect(await directory.resolve(`enterprise_principal@cq-nanan/${uscc}`)).toEqual([]);
    expect(await directory.resolve(`enterprise_principal@${uscc}`)).toEqual([]);
    expect(await directory.resolve('department_head@cq-gecheng')).toEqual([]);
  });

  it('works without a configured directory, and fails when the table does', async () => {
    const lists = new Lists();
    lists.set('cq-gecheng', {
      principal_leader: [{ kind: 'email', address: 'li@example.gov.cn' }],
    });
    const directory = recordContactDirectory({ events: await registered(), contacts: lists });
    expect(await directory.resolve('principal_leader@cq-gecheng')).toEqual([
      { kind: 'email', address: 'li@example.gov.cn' },
    ]);
    lists.failing = true;
    await expect(directory.resolve('principal_leader@cq-gecheng')).rejects.toThrow();
  });
});

describe('the contact schema, shared by the configuration and the administrators', () => {
  const issuesOf = (input: unknown) => {
    const result = validate(contactSchema, input);
    return result.success
      ? []
      : result.issues.map((issue) => ({ path: issue.path, ...issue.message }));
  };

  it('normalises a mobile typed with +86, spaces, dashes or full-width digits', () => {
    const result = validate(contactSchema, { kind: 'sms', phone: '＋86 １３９-0013 9000' });
    expect(result.success && result.data).toEqual({ kind: 'sms', phone: '13900139000' });
  });

  it('refuses, in both languages and without repeating the value, a bad mobile, e-mail or webhook', () => {
    expect(issuesOf({ kind: 'sms', phone: '+1 415 555 0100' })).toEqual([
      {
        path: 'phone',
        zh: '须为 11 位中国大陆手机号码。',
        en: 'This must be a mainland mobile number (11 digits).',
      },
    ]);
    expect(issuesOf({ kind: 'email', address: 'li.ming@' })).toEqual([
      { path: 'address', zh: '须为电子邮件地址。', en: 'This must be an e-mail address.' },
    ]);
    for (const url of [
      'http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k',
      'not a url',
      'ftp://oapi.dingtalk.com/robot/send',
    ]) {
      const issues = issuesOf({ kind: 'dingtalk', url });
      expect(issues, url).toEqual([
        {
          path: 'url',
          zh: expect.stringContaining('https://'),
          en: expect.stringContaining('https:// webhook URL'),
        },
      ]);
      expect(JSON.stringify(issues)).not.toContain('weixin');
    }
    expect(issuesOf({ kind: 'pager', number: '1' })).toEqual([
      {
        path: 'kind',
        zh: expect.stringContaining('email（邮件）'),
        en: expect.stringContaining('email, sms, wecom'),
      },
    ]);
  });
});
