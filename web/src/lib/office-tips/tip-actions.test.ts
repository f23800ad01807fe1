import { describe, expect, it } from 'vitest';
import type { TipForOfficer, TipMessage, TipTimelineEntry } from './contract.ts';
import { availableTipActions, canAskTipster, newTipChanges, tipCourse } from './tip-actions.ts';

const tip = (fields: Partial<TipForOfficer>) =>
  ({ status: 'received', timeline: [], messages: [], ...fields }) as TipForOfficer;
const step = (status: string) => ({ status }) as TipTimelineEntry;
const message = (messageId: string) => ({ messageId }) as TipMessage;

describe('availableTipActions', () => {
  it('offers an officer the first decisions on a received tip, and nothing to others', () => {
    expect(availableTipActions(tip({ status: 'received' }), ['officer'])).toEqual([
      'accept',
      'refuse',
      'refer',
      'merge',
    ]);
    expect(availableTipActions(tip({ status: 'received' }), ['reward_officer'])).toEqual([]);
  });

  it('lets the department head extend a limit once', () => {
    const accepted = tip({ status: 'accepted' });
    expect(availableTipActions(accepted, ['department_head'])).toEqual(['approve_extension']);
    expect(
      availableTipActions({ ...accepted, extensionUsed: true } as TipForOfficer, [
        'department_head',
      ]),
    ).toEqual([]);
  });

  it('opens the reward steps in order on a substantiated tip, until the reward is approved', () => {
    const found = tip({
      status: 'substantiated',
      finding: 'substantiated',
    } as Partial<TipForOfficer>);
    const both = ['officer', 'reward_officer'] as const;
    expect(availableTipActions(found, both)).toEqual([
      'give_feedback',
      'record_outcome',
      'record_joint_tipsters',
    ]);
    // Joint tipsters are named by officers, not reward officers.
    expect(availableTipActions(found, ['reward_officer'])).not.toContain('record_joint_tipsters');
    const outcome = { ...found, outcome: { kind: 'fined' } } as unknown as TipForOfficer;
    expect(availableTipActions(outcome, both)).toContain('compute_reward');
    expect(availableTipActions(outcome, both)).not.toContain('approve_reward');
    const computed = { ...outcome, reward: {} } as unknown as TipForOfficer;
    expect(availableTipActions(computed, ['reward_officer'])).toEqual([
      'compute_reward',
      'approve_reward',
    ]);
    // Two people: the one who computed it is not offered the approval.
    const computedByMe = { ...outcome, reward: { computedBy: 'u1' } } as unknown as TipForOfficer;
    expect(availableTipActions(computedByMe, ['reward_officer'], 'u1')).toEqual(['compute_reward']);
    expect(availableTipActions(computedByMe, ['reward_officer'], 'u2')).toContain('approve_reward');
    const approved = { ...outcome, reward: { approvedBy: 'x' } } as unknown as TipForOfficer;
    expect(availableTipActions(approved, ['reward_officer'])).toEqual([]);
    expect(availableTipActions(approved, ['officer'])).not.toContain('record_joint_tipsters');
    const nothing = { ...found, outcome: { kind: 'nothing_found' } } as unknown as TipForOfficer;
    expect(availableTipActions(nothing, ['reward_officer'])).toEqual([]);
  });

  it('offers the payment to a reward officer once the tipster has claimed, once', () => {
    const approved = {
      status: 'closed',
      finding: 'substantiated',
      timeline: [],
      messages: [],
      outcome: { kind: 'fine_imposed' },
      reward: { approvedBy: 'x' },
    } as unknown as TipForOfficer;
    expect(availableTipActions(approved, ['reward_officer'])).toEqual([]);
    const claimed = {
      ...approved,
      reward: { approvedBy: 'x', claim: { method: 'in_person' } },
    } as unknown as TipForOfficer;
    expect(availableTipActions(claimed, ['reward_officer'])).toEqual(['record_payment']);
    expect(availableTipActions(claimed, ['officer'])).toEqual([]);
    const paid = {
      ...approved,
      reward: { approvedBy: 'x', claim: { method: 'in_person' }, payment: { paidOn: 'd' } },
    } as unknown as TipForOfficer;
    expect(availableTipActions(paid, ['reward_officer'])).toEqual([]);
  });

  it('lets officers ask the tipster only while the tip is being handled', () => {
    expect(canAskTipster(tip({ status: 'investigating' }), ['officer'])).toBe(true);
    expect(canAskTipster(tip({ status: 'closed' }), ['officer'])).toBe(false);
    expect(canAskTipster(tip({ status: 'investigating' }), ['department_head'])).toBe(false);
  });
});

describe('newTipChanges', () => {
  it('is the steps and then the messages the tip gained', () => {
    const before = tip({ timeline: [step('received')], messages: [message('m1')] });
    const after = tip({
      timeline: [step('received'), step('accepted')],
      messages: [message('m1'), message('m2')],
    });
    expect(newTipChanges(before, after)).toEqual([
      { step: step('accepted') },
      { message: message('m2') },
    ]);
    expect(newTipChanges(after, after)).toEqual([]);
    expect(newTipChanges(undefined, before)).toHaveLength(2);
    expect(newTipChanges(before, undefined)).toEqual([]);
  });
});

describe('tipCourse', () => {
  it("puts each opening of a claim's bank details among the steps, by time", () => {
    const at = (time: string) => `2026-12-08T0${time}:00.000Z`;
    const course = tipCourse(
      tip({
        timeline: [
          { status: 'received', at: at('1') },
          { status: 'substantiated', at: at('3') },
        ] as TipTimelineEntry[],
        reward: {
          detailsOpened: [{ by: 'demo:x', name: '曹颖', at: at('2') }],
        } as TipForOfficer['reward'],
      }),
    );
    expect(course.map((entry) => ('step' in entry ? entry.step.status : 'opened'))).toEqual([
      'received',
      'opened',
      'substantiated',
    ]);
    expect(tipCourse(tip({ timeline: [step('received')] }))).toEqual([{ step: step('received') }]);
  });
});
