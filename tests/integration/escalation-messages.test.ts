import { defaultEscalationPolicy, spreadOffsetMs } from '@qingling/shared/hazards/escalation.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../support/clock.ts';
import { signIn, startTestCloud } from '../support/embedded-cloud.ts';
import { hazardDueThursday10December } from '../support/hazards.ts';

// Issue 14, "Messages that say what they are": on the embedded cloud, each escalation step
// a late hazard reaches is delivered to the outbox in its own words, naming the enterprise
// (from the jurisdiction's register), the place, the days overdue and what is expected.
const clock = new ManualClock('2026-12-08T02:00:00.000Z'); // Tue 10:00 CST
let cloud: Awaited<ReturnType<typeof startTestCloud>>;

beforeAll(async () => {
  cloud = await startTestCloud({ clock });
}, 120_000);
afterAll(async () => {
  await cloud?.stop();
  await cloud?.removeData();
});

/** Moves the clock, wakes the lifecycles and waits until they are idle again. */
async function advanceTo(instant: string) {
  clock.set(instant);
  cloud.conductor.tick();
  await cloud.conductor.settled();
}

describe('escalation messages in the outbox', () => {
  it('name the enterprise and the days overdue, each step in its own words', async () => {
    const officer = await signIn(cloud.url, 'cq-gecheng.officer');
    const hazard = await hazardDueThursday10December(cloud.url, officer);
    await cloud.conductor.settled();

    // Past each step's time (09:00 and the hazard's place in the spread window after it)
    // and the lifecycle's wake-up spread of up to five minutes, not late.
    const afterSpread = (at: string) =>
      new Date(Date.parse(at) + spreadOffsetMs(hazard.id, defaultEscalationPolicy)).toISOString();
    // Fri 11 Dec 09:06 CST: the notice letter, one day past the deadline.
    await advanceTo(afterSpread('2026-12-11T01:06:00.000Z'));
    // Fri 18 Dec 09:06 CST: the circular (7 days after 24:00 on the 10th, in office hours),
    // eight days past the deadline's day.
    await advanceTo(afterSpread('2026-12-18T01:06:00.000Z'));

    const outbox = await cloud.outbox.list();
    const message = (step: string, recipient: string) => {
      const found = outbox.find((entry) => entry.key === `${hazard.id}#1#${step}#${recipient}`);
      if (!found) throw new Error(`no ${step} to ${recipient} in the outbox`);
      return found;
    };
    const letter = message('notice_letter', 'enterprise_principal');
    expect(letter.subject.zh).toBe('函告：格城东门商贸有限公司（二号仓库）隐患整改已逾期 1 天');
    expect(letter.body.zh).toContain('整改期限为 2026-12-10，现已逾期 1 天');
    expect(letter.body.zh).toContain('请主要负责人、实际控制人立即组织整改');
    expect(letter.body.en).toContain('1 day(s) overdue');

    const circular = message('circular', 'department_head');
    expect(circular.subject).toEqual({
      zh: '通报：格城东门商贸有限公司（二号仓库）隐患整改逾期 8 天',
      en: 'Circular: 格城东门商贸有限公司 (二号仓库) is 8 day(s) late fixing a hazard',
    });
    expect(circular.body.zh).toContain('二号仓库安全出口被货物堵塞');
    expect(circular.body.zh).toContain('请科室负责人督办');
    expect(circular.body.zh).toContain(
      `查看隐患：${cloud.url}/office/hazards/view?id=${hazard.id}`,
    );
    // Not the same reminder at every step.
    expect(circular.body.zh).not.toBe(message('circular', 'jurisdiction_departments').body.zh);
    expect(circular.body.zh).not.toBe(letter.body.zh);
  });
});
