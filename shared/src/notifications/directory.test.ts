import { describe, expect, it } from 'vitest';
import { StaticContactDirectory } from './directory.ts';

const entries = {
  'enterprise_principal@cq-gecheng': [
    { kind: 'sms', phone: '+86 138-0013-8000' },
    { kind: 'email', address: 'anquan@example.cn' },
  ],
  'department_head@cq-gecheng': [
    { kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1' },
    {
      kind: 'dingtalk',
      url: 'https://oapi.dingtalk.com/robot/send?access_token=t1',
      secret: 'SECabc',
    },
  ],
};

const refusal = (to: string, contact: unknown) => () =>
  new StaticContactDirectory({ [to]: [contact] });

describe('StaticContactDirectory', () => {
  it('resolves a recipient in a jurisdiction to its contacts, phones as 11 digits', async () => {
    const directory = new StaticContactDirectory(entries);
    expect(await directory.resolve('enterprise_principal@cq-gecheng')).toEqual([
      { kind: 'sms', phone: '13800138000' },
      { kind: 'email', address: 'anquan@example.cn' },
    ]);
    expect(await directory.resolve('department_head@cq-gecheng')).toEqual(
      entries['department_head@cq-gecheng'],
    );
  });

  it('knows nobody for an address it does not list', async () => {
    const directory = new StaticContactDirectory(entries);
    expect(await directory.resolve('department_head@cq-other')).toEqual([]);
    expect(await directory.resolve('toString')).toEqual([]);
  });

  it('does not hand out its own list to be changed', async () => {
    const directory = new StaticContactDirectory(entries);
    (await directory.resolve('enterprise_principal@cq-gecheng')).pop();
    expect(await directory.resolve('enterprise_principal@cq-gecheng')).toHaveLength(2);
  });

  it('refuses a bad entry, saying where and what, without repeating the value', () => {
    const to = 'assigned_officer@cq-gecheng';
    expect(refusal(to, { kind: 'email', address: 'li.ming@' })).toThrow(
      /contact directory is invalid[\s\S]*must be an e-mail address[\s\S]*assigned_officer@cq-gecheng/,
    );
    expect(refusal(to, { kind: 'sms', phone: '+86 123 4567 8901' })).toThrow(
      /must be a mainland mobile number/,
    );
    expect(refusal(to, { kind: 'sms', phone: '+86 123 4567 8901' })).not.toThrow(/8901/);
    expect(refusal(to, { kind: 'sms', phone: '+1 415 555 0100' })).toThrow(/mobile number/);
    expect(
      refusal(to, { kind: 'wecom', url: 'http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k' }),
    ).toThrow(/https:\/\/ webhook URL/);
    expect(refusal(to, { kind: 'dingtalk', url: 'not a url' })).toThrow(/https:\/\/ webhook URL/);
    expect(refusal(to, { kind: 'pager', number: '1' })).toThrow(/contact directory is invalid/);
  });

  it('refuses an address that is not a ladder recipient in a jurisdiction', () => {
    const contact = { kind: 'email', address: 'anquan@example.cn' };
    expect(refusal('mayor@cq-gecheng', contact)).toThrow(/recipient@jurisdiction/);
    expect(refusal('department_head', contact)).toThrow(/recipient@jurisdiction/);
    expect(refusal('department_head@', contact)).toThrow(/recipient@jurisdiction/);
    expect(refusal('department_head@a@b', contact)).toThrow(/recipient@jurisdiction/);
    expect(() => new StaticContactDirectory([])).toThrow(/contact directory is invalid/);
  });
});
