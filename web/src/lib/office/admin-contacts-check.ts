import { type FieldIssue, validate } from '@qingling/shared/api/validation.ts';
import type { Bilingual } from '@qingling/shared/i18n/text.ts';
import {
  maxContactsPerRecipient,
  updateJurisdictionContactsSchema,
} from '@qingling/shared/policies/schemas.ts';
import type { contactsEditOf } from './admin-contacts.ts';

/**
 * The contacts page's check before sending: the server's own schema, so that a mistyped
 * mobile is said beside its box in the words the server would use, and nothing is sent.
 */
export function contactIssues(edit: ReturnType<typeof contactsEditOf>): FieldIssue[] {
  const checked = validate(updateJurisdictionContactsSchema, edit);
  return checked.success ? [] : checked.issues;
}

export { maxContactsPerRecipient };

/** Said where a recipient's list is full (the schema's limit). */
export const listFull: Bilingual = {
  zh: `每个接收方最多 ${maxContactsPerRecipient} 个联系方式。`,
  en: `At most ${maxContactsPerRecipient} contacts per recipient.`,
};
