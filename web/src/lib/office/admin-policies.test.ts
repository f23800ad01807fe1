import { defaultEscalationTemplates } from '@qingling/shared/notifications/escalation-messages.ts';
import { describe, expect, it } from 'vitest';
import { editOf, type LadderView, messagesOf, wordingOf } from './admin-policies.ts';

const view: LadderView = {
  jurisdiction: 'cq-gecheng',
  ladder: [
    {
      step: 'reminder',
      offsetDays: -3,
      urgent: false,
      recipients: ['assigned_officer'],
      name: { zh: '到期提醒', en: 'Reminder' },
    },
    {
      step: 'notice_letter',
      offsetDays: 0,
      urgent: false,
      recipients: ['enterprise_principal'],
      name: { zh: '函告', en: 'Notice letter' },
    },
  ],
  officeHours: { startHour: 9, endHour: 18 },
  lateAfterMinutes: 15,
  spreadMinutes: 20,
  messages: {
    notice_letter: {
      expected: { default: { zh: '请立即整改。', en: 'Fix it now.' } },
    },
  },
  tipLimits: { acceptDays: 5, verifyDays: 60, feedbackDays: 10 },
  lookBack: { afterDays: 30, generalSamplePercent: 20 },
  retention: { sealedDataDays: 180 },
  version: 3,
  source: 'administrator',
};

describe("the policy page's edits", () => {
  it('keep the retention period when another part of the policy is saved', () => {
    const kept = { ...view, retention: { sealedDataDays: 365 } };
    expect(editOf(kept, { spreadMinutes: 10 }).retention).toEqual({ sealedDataDays: 365 });
    expect(editOf(kept, { retention: { sealedDataDays: 90 } }).retention).toEqual({
      sealedDataDays: 90,
    });
  });

  it('send the policy as read with one part changed, naming the version read', () => {
    const body = editOf(view, { tipLimits: { acceptDays: 4, verifyDays: 60, feedbackDays: 10 } });
    expect(body.expectedVersion).toBe(3);
    expect(body.tipLimits?.acceptDays).toBe(4);
    // The ladder's other settings as read: a save of the limits keeps the spread.
    expect(body.spreadMinutes).toBe(20);
    expect(body.ladder[0]).toEqual({
      step: 'reminder',
      offsetDays: -3,
      urgent: false,
      recipients: ['assigned_officer'],
    });
    expect(body.messages).toEqual(view.messages);
    expect(body.messages).not.toBe(view.messages);
  });

  it('store only the wording that differs from the default, and keep the expectations', () => {
    const typed = {
      reminder: wordingOf(view, 'reminder'),
      notice_letter: wordingOf(view, 'notice_letter'),
    };
    expect(typed.reminder.subject).toEqual(defaultEscalationTemplates.reminder.subject);
    expect(messagesOf(view, typed as never)).toEqual(view.messages);
    typed.reminder.subject.zh = '提醒：{enterprise}';
    expect(messagesOf(view, typed as never)).toEqual({
      reminder: {
        subject: { zh: '提醒：{enterprise}', en: defaultEscalationTemplates.reminder.subject.en },
      },
      notice_letter: view.messages?.notice_letter,
    });
    expect(
      messagesOf({ ...view, messages: undefined }, {
        reminder: wordingOf(view, 'reminder'),
      } as never),
    ).toBeUndefined();
  });
});
