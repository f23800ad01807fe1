import { validate } from '@qingling/shared/api/validation.ts';
import { hazardCommandSchema } from '@qingling/shared/hazards/schemas.ts';
import { describe, expect, it } from 'vitest';
import { FormErrors } from './form-errors.svelte.ts';

const issue = (path: string, zh: string) => ({ path, message: { zh, en: `${zh} (en)` } });

describe('FormErrors', () => {
  const labels = { deadline: '期限 Deadline', 'deadline.reason': '理由', measures: '措施' };

  it('puts each issue next to the longest field key its path starts with, the first per field', () => {
    const errors = new FormErrors('plan', labels);
    errors.add(
      [
        issue('plan.deadline.date', '日期无效'),
        issue('plan.deadline.reason.text', '请写理由'),
        issue('plan.deadline.date', '第二条'),
        issue('plan.other', '表单错误'),
      ],
      'plan.',
    );
    expect(errors.message('deadline')).toBe('日期无效');
    expect(errors.message('deadline.reason')).toBe('请写理由');
    expect(errors.form).toBe('表单错误');
    expect(errors.list.map((entry) => entry.id)).toEqual(['plan-deadline', 'plan-deadline-reason']);
    expect(errors.describedBy('deadline', true)).toBe('plan-deadline-hint plan-deadline-error');
    expect(errors.invalid('measures')).toBeUndefined();
    expect(errors.empty).toBe(false);
    errors.clear();
    expect(errors.empty).toBe(true);
  });

  it("leaves out the schema's words on a command the page could not make (no outcome chosen)", () => {
    // The verification form with no outcome: the page names the field, and makes no command.
    const errors = new FormErrors('verify', { outcome: '核查结果', note: '说明' });
    errors.set('outcome', '请选择。');
    const checked = validate(hazardCommandSchema, {});
    expect(checked.success).toBe(false);
    if (!checked.success) errors.addChecked(checked.issues);
    expect(errors.form).toBeUndefined();
    expect(errors.list.map((entry) => entry.message)).toEqual(['请选择。']);

    // With nothing found by the page, an issue naming no field is still the form's own.
    const alone = new FormErrors('verify', { outcome: '核查结果' });
    alone.addChecked([issue('', '表单错误'), issue('outcome', '请选择一项')]);
    expect(alone.form).toBe('表单错误');
    expect(alone.message('outcome')).toBe('请选择一项');
  });
});
