import { describe, expect, it } from 'vitest';
import type { Hazard, HazardDetail, TimelineEntry } from './contract.ts';
import { availableActions, newHazardEntries } from './hazard-actions.ts';

const hazard = (fields: Partial<Hazard>) => ({ status: 'reported', ...fields }) as Hazard;
const entry = (sequence: number) => ({ sequence }) as TimelineEntry;
const detail = (...sequences: number[]) =>
  ({ timeline: sequences.map(entry) }) as unknown as HazardDetail;

describe('availableActions', () => {
  it('offers an officer what the hazard’s status allows, one step at a time', () => {
    const officer = ['officer'] as const;
    expect(availableActions(hazard({ status: 'reported' }), officer)).toEqual([
      'start_rectification',
    ]);
    expect(availableActions(hazard({ status: 'rectifying' }), officer)).toEqual([
      'request_extension',
    ]);
    expect(availableActions(hazard({ status: 'verifying' }), officer)).toEqual(['verify']);
    expect(
      availableActions(
        hazard({ status: 'verifying', verifiedAt: '2026-01-01T00:00:00Z' }),
        officer,
      ),
    ).toEqual(['close']);
    expect(
      availableActions(
        hazard({ status: 'closed', lookBack: { status: 'due' } } as Partial<Hazard>),
        officer,
      ),
    ).toEqual(['reopen', 'record_look_back']);
  });

  it('leaves a pending extension to the department head alone', () => {
    const pending = hazard({ status: 'rectifying', pendingExtension: true } as Partial<Hazard>);
    expect(availableActions(pending, ['officer'])).toEqual([]);
    expect(availableActions(pending, ['department_head'])).toEqual(['decide_extension']);
    expect(availableActions(hazard({ status: 'reported' }), ['department_head'])).toEqual([]);
  });

  it('offers leaders summons, listing and exposure, by role and status', () => {
    const major = (fields: Partial<Hazard>) => hazard({ grade: 'major', ...fields });
    expect(availableActions(major({ status: 'reported' }), ['leader_in_charge'])).toEqual([
      'record_summons',
    ]);
    expect(availableActions(major({ status: 'reported' }), ['principal_leader'])).toEqual([
      'record_summons',
      'listed_supervision',
    ]);
    expect(availableActions(major({ status: 'rectifying' }), ['principal_leader'])).toEqual([
      'record_summons',
      'listed_supervision',
      'exposure',
    ]);
    // A general hazard is not listed; a closed one keeps only what is in force, to lift.
    expect(
      availableActions(hazard({ status: 'rectifying', grade: 'general' }), ['principal_leader']),
    ).toEqual(['record_summons', 'exposure']);
    const exposure = { documentNumber: 'x', reason: 'y', approvedAt: 'z' };
    expect(availableActions(major({ status: 'closed', exposure }), ['principal_leader'])).toEqual([
      'exposure',
    ]);
    expect(availableActions(major({ status: 'closed' }), ['principal_leader'])).toEqual([]);
    // Officers give none of them.
    expect(availableActions(major({ status: 'rectifying' }), ['officer'])).toEqual([
      'request_extension',
    ]);
  });
});

describe('newHazardEntries', () => {
  it('is what the log gained after the last entry seen', () => {
    expect(newHazardEntries(detail(1, 2), detail(1, 2, 3, 4)).map((e) => e.sequence)).toEqual([
      3, 4,
    ]);
    expect(newHazardEntries(undefined, detail(1)).map((e) => e.sequence)).toEqual([1]);
    expect(newHazardEntries(detail(1, 2), detail(1, 2))).toEqual([]);
    expect(newHazardEntries(detail(1), undefined)).toEqual([]);
  });
});

describe('availableActions for closing (销号)', () => {
  const verified = (grade: 'general' | 'major') =>
    hazard({
      status: 'verifying',
      grade,
      verifiedAt: '2026-01-01T00:00:00Z',
      closure:
        grade === 'major'
          ? {
              signOffRole: 'department_head',
              secondPerson: true,
              verifiedBy: { id: 'li', name: '李明' },
              awaitingSignOff: true,
            }
          : { signOffRole: 'officer', secondPerson: false, awaitingSignOff: true },
    } as Partial<Hazard>);

  it('offers a major hazard’s close to the department head, not to its verifier', () => {
    expect(availableActions(verified('major'), ['officer'], 'li')).toEqual([]);
    expect(availableActions(verified('major'), ['officer'], 'wang')).toEqual([]);
    expect(availableActions(verified('major'), ['department_head'], 'zhao')).toEqual(['close']);
    expect(availableActions(verified('major'), ['officer', 'department_head'], 'li')).toEqual([]);
  });

  it('offers a general hazard’s close to its officer, as before', () => {
    expect(availableActions(verified('general'), ['officer'], 'li')).toEqual(['close']);
    expect(availableActions(verified('general'), ['department_head'], 'zhao')).toEqual([]);
  });
});
