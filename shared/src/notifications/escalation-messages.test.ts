import { describe, expect, it } from 'vitest';
import type { EscalationStep } from '../hazards/escalation.ts';
import {
  defaultEscalationTemplates,
  type EscalationMessageFacts,
  renderEscalationMessage,
} from './escalation-messages.ts';

// Deadline: 2026-12-10 (ends 24:00 CST = 16:00Z on the 10th).
const facts = (now: string, late = false): EscalationMessageFacts => ({
  hazardId: 'h1',
  enterpriseName: '葛城商贸有限公司',
  place: '东门路 18 号仓库',
  description: '仓库安全出口被货物堵死，疏散通道不畅。',
  deadline: '2026-12-10T16:00:00.000Z',
  now: new Date(now),
  late,
  siteUrl: 'https://qingling.example.cn/',
});

describe('escalation messages', () => {
  it('say something different at every step', () => {
    const steps = Object.keys(defaultEscalationTemplates) as EscalationStep[];
    const bodies = steps.map(
      (step) =>
        renderEscalationMessage(step, 'leader_in_charge', facts('2026-12-20T02:00:00.000Z')).body
          .zh,
    );
    expect(new Set(bodies).size).toBe(steps.length);
  });

  it('name the enterprise, the place, the hazard, the days overdue and the deadline', () => {
    const message = renderEscalationMessage(
      'circular',
      'department_head',
      facts('2026-12-17T01:00:00.000Z'), // Thu 17th 09:00 CST: the 7th day after the 10th
    );
    expect(message.subject).toEqual({
      zh: '通报：葛城商贸有限公司（东门路 18 号仓库）隐患整改逾期 7 天',
      en: 'Circular: 葛城商贸有限公司 (东门路 18 号仓库) is 7 day(s) late fixing a hazard',
    });
    expect(message.body.zh).toBe(
      '现通报：葛城商贸有限公司位于东门路 18 号仓库的隐患“仓库安全出口被货物堵死，疏散通道不畅。”整改期限为 2026-12-10，已逾期 7 天仍未整改完成。' +
        '请科室负责人督办，并研究是否需要约谈企业。\n查看隐患：https://qingling.example.cn/office/hazards/view?id=h1',
    );
    expect(message.body.en).toContain('7 day(s) overdue');
    expect(message.body.en).toContain('Department head: supervise the fix');
    expect(message.body.en).toContain(
      'See the hazard: https://qingling.example.cn/office/hazards/view?id=h1',
    );
  });

  it('tell each recipient what is expected of them, and no office link to the enterprise', () => {
    const now = facts('2026-12-08T01:00:00.000Z');
    const enterprise = renderEscalationMessage('reminder', 'enterprise_principal', now);
    const officer = renderEscalationMessage('reminder', 'assigned_officer', now);
    expect(enterprise.subject.zh).toBe(
      '到期提醒：葛城商贸有限公司（东门路 18 号仓库）隐患整改还有 3 天到期',
    );
    expect(enterprise.body.zh).toContain('请在期限前完成整改');
    expect(enterprise.body.zh).not.toContain('/office/');
    expect(officer.body.zh).toContain('请督促企业按期完成整改');
    expect(officer.body.zh).toContain('/office/hazards/view?id=h1');
  });

  it("follow a jurisdiction's own wording, and mark a late step", () => {
    const message = renderEscalationMessage(
      'notice_letter',
      'enterprise_principal',
      facts('2026-12-12T01:00:00.000Z', true),
      {
        notice_letter: {
          subject: { zh: '整改逾期告知书：{enterprise}', en: 'Overdue: {enterprise} {unknown}' },
        },
      },
    );
    expect(message.subject).toEqual({
      zh: '整改逾期告知书：葛城商贸有限公司（补发）',
      en: 'Overdue: 葛城商贸有限公司 {unknown} (sent late)',
    });
    // The body is still the default's: the 12th is two days past the 10th.
    expect(message.body.zh).toContain('现已逾期 2 天');
  });

  it('shorten a long description for an SMS', () => {
    const long = { ...facts('2026-12-20T02:00:00.000Z'), description: '堵'.repeat(100) };
    const body = renderEscalationMessage('summons', 'leader_in_charge', long).body.zh;
    expect(body).toContain(`“${'堵'.repeat(39)}…”`);
  });
});
