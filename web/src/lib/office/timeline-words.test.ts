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
