import type { Bucket } from '@qingling/shared/hazards/statistics.ts';
import type { Notification } from '@qingling/shared/ports/outbox.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { resetDependencies, useDependencies } from '../dependencies.ts';
import { sendWeeklyReports } from './send-weekly-reports.ts';

const jurisdiction = {
  code: 'cq-gecheng',
  zh: '葛城街道',
  en: 'Gecheng',
  parent: '巫山县',
  level: 'subdistrict',
  units: [],
  version: 1,
};

/** The ports the sender reads, the counters built in the current format or not yet. */
function given(built: boolean) {
  const sent: Notification[] = [];
  const bucket: Bucket = {
    jurisdiction: 'cq-gecheng',
    month: '2026-11',
    cells: { 'mo|2026-11-02': 1, 'f|2026-11-24|o': 1 },
  };
  useDependencies({
    clock: () => ({ now: () => new Date('2026-11-30T01:00:00.000Z') }),
    jurisdictions: async () => [jurisdiction] as never,
    hazardStatistics: () =>
      ({
        buckets: async () => [bucket],
        tipBuckets: async () => [],
        builtInCurrentFormat: async () => built,
      }) as never,
    notifier: () =>
      ({
        send: async (message: Notification) => {
          sent.push(message);
        },
      }) as never,
  });
  return sent;
}

afterEach(() => resetDependencies());

describe('the weekly reports', () => {
  it('wait for the counters rebuilt after an upgrade: no message with what old buckets lack', async () => {
    const sent = given(false);
    await expect(sendWeeklyReports()).rejects.toThrow(/being rebuilt/);
    expect(sent).toEqual([]);
  });

  it('go to each leader once the counters are built, open majors as the week ended', async () => {
    const sent = given(true);
    expect((await sendWeeklyReports()).sent).toBe(2);
    expect(sent.map((message) => message.to)).toEqual([
      'leader_in_charge@cq-gecheng',
      'principal_leader@cq-gecheng',
    ]);
    expect(sent[0]?.body.zh).toContain('截至 2026-11-29 24 时重大事故隐患未销号 1 项');
  });
});
