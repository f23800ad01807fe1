import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from './contract.ts';
import { eventDetails, eventTitle } from './timeline-words.ts';

const namer = { jurisdictionName: (code: string) => code };

describe('the enterprise link texted (issue 14) on the timeline', () => {
  const texted = (data: Record<string, unknown>) =>
    ({ sequence: 3, type: 'enterprise_link_sent', data }) as unknown as TimelineEntry;

  it('is named in words, with whom it went to and whether a mobile was on file', () => {
    const entry = texted({ round: 1, recipient: 'site_person_in_charge', mobileOnFile: false });
    expect(eventTitle(entry)).toBe('企业链接短信');
    expect(eventDetails(entry, namer)).toEqual([
      { key: 'round', label: '整改轮次', text: '1' },
      { key: 'recipient', label: '短信接收人', text: '场所负责人' },
      { key: 'mobileOnFile', label: '有手机号', text: '否' },
    ]);
    const principal = texted({ round: 2, recipient: 'enterprise_principal', mobileOnFile: true });
    expect(eventDetails(principal, namer).map((detail) => 'text' in detail && detail.text)).toEqual(
      ['2', '企业主要负责人', '是'],
    );
  });
});

describe('a hazard reported on a place without a credit code, on the timeline', () => {
  const reported = {
    sequence: 1,
    type: 'hazard_reported',
    data: {
      hazardId: 'HZ-1',
      unit: '城南社区',
      site: {
        name: '新城化工仓库',
        address: '城南路 8 号',
        kind: 'small_workshop',
        personInCharge: '王五',
        phone: '13900139000',
      },
      position: { latitude: 29.5, longitude: 106.5 },
      standard: { ref: 'GB 35181-2025', clause: '5.1.1' },
      foundOn: '2026-06-01',
    },
  } as unknown as TimelineEntry;

  it('names every field in words and writes no value as JSON', () => {
    const details = eventDetails(reported, namer);
    expect(details.map((detail) => detail.label)).toEqual([
      '隐患编号',
      '村/社区',
      '无信用代码场所',
      '发现位置（纬度, 经度）',
      '判定标准',
      '发现日期',
    ]);
    for (const detail of details) expect('text' in detail && detail.text).not.toMatch(/[{}"]/);
  });

  it('shows the place as the hazard facts do: name and kind, address, its person in charge', () => {
    const site = eventDetails(reported, namer).find((detail) => detail.key === 'site');
    expect(site).toEqual({
      key: 'site',
      label: '无信用代码场所',
      text: '新城化工仓库（小作坊）\n城南路 8 号\n场所负责人：王五 · 13900139000',
    });
  });
});
