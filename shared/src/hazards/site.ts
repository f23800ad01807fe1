import * as z from 'zod/mini';
import { said, text, withMeta } from '../api/validation.ts';

/**
 * A place without a credit code (九小场所: shops, stalls, rented rooms, self-built
 * houses, small workshops…): a hazard names one instead of a registered enterprise. It is
 * kept on the hazard itself, not on the register: there is no code to key a record by, so
 * the register's file (一企一档) does not apply; the enterprise's link does, texted to the
 * person in charge (sitePersonRecipient) when the phone on file is a mobile.
 */
export const siteKinds = [
  'shop',
  'stall',
  'rented_room',
  'self_built_house',
  'small_workshop',
  'other',
] as const;
export type SiteKind = (typeof siteKinds)[number];

export const siteKindNames: Record<SiteKind, { zh: string; en: string }> = {
  shop: { zh: '小商店', en: 'Shop' },
  stall: { zh: '摊点', en: 'Stall' },
  rented_room: { zh: '出租屋', en: 'Rented room' },
  self_built_house: { zh: '自建房', en: 'Self-built house' },
  small_workshop: { zh: '小作坊', en: 'Small workshop' },
  other: { zh: '其他场所', en: 'Other place' },
};

/**
 * A phone the person in charge answers: a mainland mobile (11 digits from 1[3-9]) or a
 * landline with its area code (0 + 2–3 digits, then 7–8 digits). Spaces, brackets and
 * dashes are dropped. (Every office handler bundles this: the messages are kept short.)
 */
export const sitePhonePattern = /^(?:1[3-9]\d{9}|0\d{9,11})$/;

/** A mainland mobile: the only phone an SMS reaches. */
export const isMobile = (phone: string) => /^1[3-9]\d{9}$/.test(phone);

/**
 * The address of a place's person in charge (`site_person_in_charge@<hazardId>`): the
 * phone is kept on the hazard, and the delivery reads it there as it sends.
 */
export const sitePersonRecipient = 'site_person_in_charge';

export const sitePhone = z.pipe(
  z.pipe(
    z.string(),
    z.transform((value) => value.normalize('NFKC').replace(/[\s()-]/g, '')),
  ),
  z
    .string()
    .check(
      z.regex(
        sitePhonePattern,
        said(
          '请输入手机号或带区号的固定电话。',
          'Enter a mobile or a landline with its area code.',
        ),
      ),
    ),
);

export const siteSchema = withMeta(
  z.strictObject({
    name: text({ min: 2, max: 100 }),
    address: text({ min: 2, max: 200 }),
    kind: z.enum(siteKinds, said('请选择场所类型。', 'Choose the kind of place.')),
    /** 负责人: who answers for the place (the owner, the tenant, the stall holder). */
    personInCharge: text({ min: 1, max: 50 }),
    phone: sitePhone,
  }),
  { id: 'Site' },
);
export type Site = z.output<typeof siteSchema>;

/** Whom a hazard is about: its registered enterprise, or the place without a code. */
export interface HazardParty {
  enterprise?: string;
  site?: Site;
}

/**
 * How the hazard names its party where a name is shown (the ledger, the export, messages):
 * the place's name, else the enterprise's registered name if known, else its credit code.
 */
export function partyName(hazard: HazardParty, enterpriseName?: string): string {
  if (hazard.site) return hazard.site.name;
  return enterpriseName ?? hazard.enterprise ?? '';
}

/** The place's kind in both languages, as the export and the messages write it. */
export function siteKindLabel(kind: SiteKind, locale: 'zh' | 'en'): string {
  return siteKindNames[kind][locale];
}

/** A request names exactly one of the two. */
export const namesOneParty = (value: HazardParty) =>
  (value.enterprise === undefined) !== (value.site === undefined);
export const namesOnePartyMessage = {
  ...said(
    '请选择登记的企业，或填写无信用代码的场所，二选一。',
    'Name a registered enterprise or a place without a credit code: one of them.',
  ),
  path: ['enterprise'],
};
