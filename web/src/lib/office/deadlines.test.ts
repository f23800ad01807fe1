import { afterEach, describe, expect, it } from 'vitest';
import { timeLeft as tipTimeLeft } from '#lib/office-tips/time-left.ts';
import { overwriteGetLocale } from '#lib/paraglide/runtime.js';
import { timeLeft } from './deadlines.ts';

afterEach(() => overwriteGetLocale(() => 'zh-CN'));

const now = Date.parse('2026-12-05T04:00:00.000Z'); // 12:00 CST

describe('time left to a deadline', () => {
  it('writes the number apart from its unit, as "还剩 3 个工作日" does', () => {
    overwriteGetLocale(() => 'zh-CN');
    expect(timeLeft('2027-02-03T16:00:00.000Z', now).words).toBe('还剩 60 天');
    expect(timeLeft('2026-12-05T07:00:00.000Z', now).words).toBe('还剩 3 小时');
    expect(timeLeft('2026-12-03T04:00:00.000Z', now)).toEqual({
      overdue: true,
      words: '已逾期 2 天',
    });
    // A tip's verification limit counts calendar days too.
    expect(tipTimeLeft('verify', '2026-12-15T16:00:00.000Z', now).words).toBe('还剩 10 天');
  });

  it('leaves English as Intl writes it', () => {
    overwriteGetLocale(() => 'en');
    expect(timeLeft('2027-02-03T16:00:00.000Z', now).words).toBe('60 days left');
    expect(timeLeft('2026-12-04T04:00:00.000Z', now).words).toBe('overdue by 1 day');
  });
});
