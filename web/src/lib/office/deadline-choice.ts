import { m } from '#lib/paraglide/messages.js';
import type { FormErrors } from './form-errors.svelte.ts';

/** A deadline as the officer gives it: a CST date (ending 24:00), or N working days from today. */
export interface DeadlineChoice {
  mode: 'date' | 'workingDays';
  date: string;
  workingDays: string;
}

export const emptyDeadline = (): DeadlineChoice => ({ mode: 'date', date: '', workingDays: '' });

/**
 * The API's deadline input from the choice; an empty answer gets its own words (the shared
 * schema then checks the rest: a real date, 1–365 working days).
 */
export function deadlineInput(choice: DeadlineChoice, errors: FormErrors, key: string): unknown {
  if (choice.mode === 'date') {
    if (!choice.date) errors.set(key, m.hz_check_deadline_date());
    return { date: choice.date };
  }
  const days = choice.workingDays.normalize('NFKC').trim();
  if (!/^\d+$/.test(days)) errors.set(key, m.hz_check_working_days());
  return { workingDays: Number(days) };
}
