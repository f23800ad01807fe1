import { describe, expect, it } from 'vitest';
import { documentDate, documentNumber, isEscalationDocumentKind } from './documents.ts';

const hazard = { hazardId: 'bcdefghijklmnopqrstuvwxyza', round: 2 };
const recorded = (step: string, round: number, at: string) => ({
  type: 'escalation_step_recorded',
  at,
  data: { step, round, dueAt: at, late: false },
});

describe('escalation documents', () => {
  it('are numbered from the kind, the year, the hazard and its round', () => {
    expect(documentNumber('notice_letter', hazard, '2026-12-21')).toBe(
      '清零函〔2026〕BCDEFGHI-2号',
    );
    expect(documentNumber('circular', hazard, '2027-01-02')).toBe('清零通〔2027〕BCDEFGHI-2号');
    expect(documentNumber('summons_notice', { hazardId: 'zz234567abc' }, '2026-12-21')).toBe(
      '清零约〔2026〕ZZ234567-0号',
    );
  });

  it("are dated the CST day their step was recorded in this round, else today's", () => {
    const timeline = [
      recorded('notice_letter', 1, '2026-12-01T02:00:00.000Z'),
      recorded('notice_letter', 2, '2026-12-20T17:00:00.000Z'), // 01:00 CST on the 21st
      recorded('circular', 2, '2026-12-27T01:00:00.000Z'),
    ];
    const now = new Date('2027-01-05T02:00:00.000Z');
    expect(documentDate('notice_letter', hazard, timeline, now)).toBe('2026-12-21');
    expect(documentDate('circular', hazard, timeline, now)).toBe('2026-12-27');
    expect(documentDate('summons_notice', hazard, timeline, now)).toBe('2027-01-05');
  });

  it('know their kinds', () => {
    expect(isEscalationDocumentKind('circular')).toBe(true);
    expect(isEscalationDocumentKind('public_exposure')).toBe(false);
  });
});
