import { describe, expect, it } from 'vitest';
import { type CommandField, emptyFields, fieldValues, summaryLabels } from './command-fields.ts';
import { FormErrors } from './form-errors.svelte.ts';

const fields: CommandField[] = [
  { kind: 'text', key: 'note', label: 'Closing note', rows: 3 },
  { kind: 'deadline', key: 'newDeadline', label: 'New deadline' },
  { kind: 'choice', key: 'holding', label: 'Holding', options: [{ value: 'yes', label: 'Yes' }] },
];

describe('declared command fields', () => {
  it('start empty and become the command’s values, a deadline as the API’s input', () => {
    const typed = emptyFields(fields);
    expect(typed).toEqual({
      texts: { note: '', holding: '' },
      deadlines: { newDeadline: { mode: 'date', date: '', workingDays: '' } },
    });
    typed.texts.note = '已整改';
    typed.texts.holding = 'yes';
    typed.deadlines.newDeadline = { mode: 'workingDays', date: '', workingDays: '５' };
    const errors = new FormErrors('reopen', summaryLabels(fields));
    expect(fieldValues(fields, typed, errors)).toEqual({
      note: '已整改',
      newDeadline: { workingDays: 5 },
      holding: 'yes',
    });
    expect(errors.empty).toBe(true);
  });

  it('put an empty deadline’s error on its field, named in the summary in the form’s order', () => {
    const errors = new FormErrors('reopen', summaryLabels(fields));
    fieldValues(fields, emptyFields(fields), errors);
    expect(errors.list.map((error) => [error.key, error.label])).toEqual([
      ['newDeadline', 'New deadline'],
    ]);
    expect(errors.keys).toEqual(['note', 'newDeadline', 'holding']);
    // The summary names a field as its label does (销号说明, not 说明).
    expect(errors.labels.note).toBe('Closing note');
  });

  it('ask for a date left empty rather than for its format', () => {
    const dated: CommandField[] = [
      { kind: 'text', key: 'nextDate', label: 'Next check', type: 'date' },
    ];
    const errors = new FormErrors('summons', summaryLabels(dated));
    expect(fieldValues(dated, emptyFields(dated), errors)).toEqual({ nextDate: '' });
    expect(errors.message('nextDate')).toBe('请选择日期。');
    const typed = emptyFields(dated);
    typed.texts.nextDate = '2027-01-15';
    const none = new FormErrors('summons', summaryLabels(dated));
    fieldValues(dated, typed, none);
    expect(none.empty).toBe(true);
  });
});
