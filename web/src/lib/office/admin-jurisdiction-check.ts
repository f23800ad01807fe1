import { updateJurisdictionSchema } from '@qingling/shared/api/schemas.ts';
import { type FieldIssue, validate } from '@qingling/shared/api/validation.ts';
import { type jurisdictionEditOf, unitIssuesInTheBox } from './admin-jurisdiction.ts';

/**
 * The jurisdiction page's check before sending: the server's own schema, so that a unit
 * typed twice is said beside the box in the words the server would use, and nothing is sent.
 */
export function jurisdictionIssues(edit: ReturnType<typeof jurisdictionEditOf>): FieldIssue[] {
  const checked = validate(updateJurisdictionSchema, edit);
  return checked.success ? [] : unitIssuesInTheBox(checked.issues, edit.units);
}
