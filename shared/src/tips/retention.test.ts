import { describe, expect, it } from 'vitest';
import {
  defaultRetention,
  rewardMatterEndedAt,
  sealedDataCutoff,
  sealedDataDueAt,
  sealedDataIndex,
} from './retention.ts';
import type { TipReward, TipState, TipStatus } from './tip-state.ts';

const received = '2026-01-05T02:00:00.000Z';
const ended = '2026-03-01T02:00:00.000Z';

function tip(overrides: Partial<TipState> & { status: TipStatus }): TipState {
  return {
    tipId: 't1',
    channel: 'web',
    jurisdiction: 'cq-gecheng',
    industry: 'warehousing',
    address: '三号库',
    description: '安全出口被堵',
    seenOn: '2026-01-04',
    isEmployee: false,
    wantsReward: true,
    contactSealed: 'v1.phone',
    acceptDeadline: received,
    receivedAt: received,
    contentDigest: 'd',
    photoSlots: [],
    photos: [],
    photoRefusals: [],
    messages: [],
    timeline: [{ at: received, status: 'received' }],
    extensionUsed: false,
    revision: 1,
    generation: 1,
    timeLimitSteps: [],
    ...overrides,
  };
}

const reward = (more: Partial<TipReward>): TipReward => ({
  computation: {} as TipReward['computation'],
  amountFen: 300_000,
  computedBy: 'r1',
  computedAt: received,
  approvedBy: 'r2',
  approvedAt: received,
  ...more,
});

describe('when a tip’s reward matter ends (its sealed data are then kept for the period)', () => {
  it('ends at the payment, or at the lapse; an approved, claimed, unpaid reward runs on', () => {
    const payment = {
      paidOn: '2026-03-01',
      voucherNumber: 'v',
      recordedBy: 'r1',
      recordedAt: ended,
    };
    expect(rewardMatterEndedAt(tip({ status: 'closed', reward: reward({ payment }) }))).toBe(ended);
    expect(
      rewardMatterEndedAt(tip({ status: 'closed', reward: reward({ lapsedAt: ended }) })),
    ).toBe(ended);
    const claimed = reward({
      claim: { method: 'bank_transfer', claimedAt: ended, bankSealed: 'b' },
    });
    expect(rewardMatterEndedAt(tip({ status: 'closed', reward: claimed }))).toBeUndefined();
    expect(
      rewardMatterEndedAt(tip({ status: 'substantiated', reward: reward({}) })),
    ).toBeUndefined();
  });

  it('ends when no reward is possible: refused, referred, merged, closed unsubstantiated', () => {
    for (const status of ['refused', 'referred', 'merged'] as const) {
      const state = tip({
        status,
        timeline: [
          { at: received, status: 'received' },
          { at: ended, status },
        ],
      });
      expect(rewardMatterEndedAt(state), status).toBe(ended);
    }
    const unfounded = tip({ status: 'closed', finding: 'unsubstantiated', closedAt: ended });
    expect(rewardMatterEndedAt(unfounded)).toBe(ended);
    // Substantiated and closed: the reward may still come, unless none was wanted.
    const substantiated = tip({ status: 'closed', finding: 'substantiated', closedAt: ended });
    expect(rewardMatterEndedAt(substantiated)).toBeUndefined();
    expect(rewardMatterEndedAt({ ...substantiated, wantsReward: false })).toBe(ended);
    // Still open: nothing ends.
    for (const status of ['received', 'accepted', 'investigating', 'substantiated'] as const) {
      expect(rewardMatterEndedAt(tip({ status })), status).toBeUndefined();
    }
  });

  it('is due the period after the end, and on the sweep’s index only while something is sealed', () => {
    const refused = tip({
      status: 'refused',
      timeline: [
        { at: received, status: 'received' },
        { at: ended, status: 'refused' },
      ],
    });
    const due = sealedDataDueAt(refused, defaultRetention);
    expect(due?.toISOString()).toBe('2026-08-28T02:00:00.000Z'); // 180 days on
    expect(sealedDataDueAt(refused, { sealedDataDays: 30 })?.toISOString()).toBe(
      '2026-03-31T02:00:00.000Z',
    );
    expect(sealedDataIndex(refused)).toEqual({
      gsi3pk: 'SEALED#cq-gecheng',
      gsi3sk: `${ended}#t1`,
    });
    // The sweep's cutoff: due exactly when the index key sorts before it.
    const cutoff = (at: string) => sealedDataCutoff(new Date(at), defaultRetention);
    expect(`${ended}#t1` < cutoff('2026-08-28T02:00:00.001Z')).toBe(true);
    expect(`${ended}#t1` < cutoff('2026-08-28T01:59:59.999Z')).toBe(false);
    // Nothing sealed (no phone left, or erased): not due, not on the index.
    const { contactSealed: _phone, ...nothing } = refused;
    expect(sealedDataDueAt(nothing, defaultRetention)).toBeUndefined();
    expect(sealedDataIndex(nothing)).toEqual({});
    // Bank details alone keep it there.
    const bank = reward({
      claim: { method: 'bank_transfer', claimedAt: received, bankSealed: 'b' },
      lapsedAt: ended,
    });
    expect(sealedDataIndex({ ...nothing, status: 'closed', reward: bank })).toMatchObject({
      gsi3pk: 'SEALED#cq-gecheng',
    });
    // Open: not on the index.
    expect(sealedDataIndex(tip({ status: 'accepted' }))).toEqual({});
  });
});
