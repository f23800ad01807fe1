import { m } from '#lib/paraglide/messages.js';
import { type CreateTipBody, limits, type SharedLocation } from './contract.ts';

/**
 * The report form as typed. The server checks the tip with createTipSchema and answers in
 * both languages; these hand-written checks mirror it so that most mistakes are caught
 * before a slow network is used, without shipping the schema library to the phone.
 */
export interface TipForm {
  jurisdiction: string;
  unit: string;
  industry: string;
  enterprise: string;
  address: string;
  description: string;
  seenOn: string;
  isEmployee: boolean;
  wantsReward: boolean;
  contactPhone: string;
  shareLocation: boolean;
}

export const emptyTipForm = (): TipForm => ({
  jurisdiction: '',
  unit: '',
  industry: '',
  enterprise: '',
  address: '',
  description: '',
  seenOn: '',
  isEmployee: false,
  wantsReward: false,
  contactPhone: '',
  shareLocation: false,
});

/** Messages by field name (the API's issue path), already in the reader's language. */
export type FieldErrors = Partial<Record<string, string>>;

/** As the server counts: NFKC-normalised (full-width → half-width), trimmed. */
export const clean = (value: string) => value.normalize('NFKC').trim();

export const cleanPhone = (value: string) => value.normalize('NFKC').replace(/[\s-]/g, '');

export function checkTip(form: TipForm, today: string): FieldErrors {
  const errors: FieldErrors = {};
  if (!form.jurisdiction) errors.jurisdiction = m.check_jurisdiction();
  if (clean(form.unit).length > limits.unit) errors.unit = m.check_max({ max: limits.unit });
  if (!form.industry) errors.industry = m.check_industry();
  if (clean(form.enterprise).length > limits.enterprise) {
    errors.enterprise = m.check_max({ max: limits.enterprise });
  }
  const address = clean(form.address).length;
  if (address < limits.address.min) errors.address = m.check_address();
  else if (address > limits.address.max) errors.address = m.check_max({ max: limits.address.max });
  const description = clean(form.description).length;
  if (description < limits.description.min) {
    errors.description = m.check_description({ min: limits.description.min });
  } else if (description > limits.description.max) {
    errors.description = m.check_max({ max: limits.description.max });
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(form.seenOn)) errors.seenOn = m.check_date();
  else if (form.seenOn > today) errors.seenOn = m.check_date_future();
  if (form.wantsReward && !/^1[3-9]\d{9}$/.test(cleanPhone(form.contactPhone))) {
    errors.contactPhone = m.check_phone();
  }
  return errors;
}

/** The body of POST /api/tips. Empty optional fields are left out; the phone only with a reward. */
export function toCreateTip(
  form: TipForm,
  extra: { idempotencyKey: string; photoCount: number; location?: SharedLocation },
): CreateTipBody {
  const optional = (value: string) => (clean(value) ? value.trim() : undefined);
  const body: CreateTipBody = {
    idempotencyKey: extra.idempotencyKey,
    jurisdiction: form.jurisdiction,
    industry: form.industry,
    address: form.address.trim(),
    description: form.description.trim(),
    seenOn: form.seenOn,
    isEmployee: form.isEmployee,
    wantsReward: form.wantsReward,
    photoCount: extra.photoCount,
  };
  const unit = optional(form.unit);
  if (unit) body.unit = unit;
  const enterprise = optional(form.enterprise);
  if (enterprise) body.enterprise = enterprise;
  if (form.wantsReward) body.contactPhone = cleanPhone(form.contactPhone);
  if (form.shareLocation && extra.location) body.location = extra.location;
  return body;
}

/** The form again from a tip that was kept on the phone (to correct it after a refusal). */
export function fromCreateTip(tip: CreateTipBody): TipForm {
  return {
    jurisdiction: tip.jurisdiction,
    unit: tip.unit ?? '',
    industry: tip.industry,
    enterprise: tip.enterprise ?? '',
    address: tip.address,
    description: tip.description,
    seenOn: tip.seenOn,
    isEmployee: tip.isEmployee,
    wantsReward: tip.wantsReward,
    contactPhone: tip.contactPhone ?? '',
    shareLocation: tip.location !== undefined,
  };
}
