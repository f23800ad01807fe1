import * as z from 'zod/mini';
import { code, mobileNumber, said, text, withMeta } from '../api/validation.ts';
import { type Projection, projectionOf } from '../event-log/event-store.ts';
import { isValidUscc, isWellFormedUscc, normalizeUscc } from './uscc.ts';

/**
 * The enterprise register (一企一档), kept per jurisdiction: each jurisdiction's record of a
 * legal entity is keyed by the jurisdiction and the entity's unified social credit code,
 * which never changes for the life of the entity. The same enterprise may be on several
 * registers (a branch here, a warehouse there), and each keeps its own facts and people.
 * A hazard names its enterprise by the code and is filed on its own jurisdiction's record.
 */
export const maxContacts = 10;

export const usccSchema = withMeta(
  z.pipe(
    z.pipe(z.string(), z.transform(normalizeUscc)),
    z.string().check(
      z.refine(isWellFormedUscc, {
        ...said(
          '统一社会信用代码应为 18 位数字或大写字母（不含 I、O、Z、S、V）。',
          'The unified social credit code is 18 digits or capital letters (no I, O, Z, S or V).',
        ),
        // A code of the wrong shape has no check character worth reporting on.
        abort: true,
      }),
      z.refine(
        isValidUscc,
        said(
          '统一社会信用代码校验位不正确。',
          "The unified social credit code's check character is wrong.",
        ),
      ),
    ),
  ),
  { description: '统一社会信用代码 (GB 32100)', example: '91350100M000100Y43' },
);

const personName = text({ min: 1, max: 50 });

const person = z.strictObject({ name: personName, mobile: mobileNumber });

const contact = z.strictObject({
  name: personName,
  role: text({ min: 1, max: 50 }),
  mobile: mobileNumber,
});

const enterpriseFields = {
  name: text({ min: 1, max: 100 }),
  address: text({ min: 2, max: 200 }),
  industry: code('fire'),
  jurisdiction: code('cq-gecheng'),
  /** 主要负责人: answers for the enterprise's safety and receives its hazard links. */
  principal: person,
  /** 实际控制人: told of major hazards beside the principal. */
  controller: person,
  contacts: z
    .array(contact)
    .check(
      z.maxLength(
        maxContacts,
        said(`最多登记 ${maxContacts} 位联系人。`, `At most ${maxContacts} contacts.`),
      ),
    ),
};

export const enterpriseSchema = withMeta(
  z.strictObject({ uscc: usccSchema, ...enterpriseFields }),
  { id: 'Enterprise' },
);
export type Enterprise = z.output<typeof enterpriseSchema>;
export type EnterpriseInput = z.input<typeof enterpriseSchema>;

/**
 * What an update may change: anything but the code and the jurisdiction, which together
 * are the record's identity (another jurisdiction registers the enterprise on its own).
 */
const { jurisdiction: _identity, ...changeableFields } = enterpriseFields;
export const enterpriseChangesSchema = withMeta(
  z
    .partial(z.strictObject(changeableFields))
    .check(
      z.refine(
        (changes) => Object.keys(changes).length > 0,
        said('没有修改内容。', 'Nothing to change.'),
      ),
    ),
  { id: 'EnterpriseChanges' },
);
export type EnterpriseChanges = z.output<typeof enterpriseChangesSchema>;

export type EnterpriseEvent =
  | { type: 'enterprise_registered'; data: Enterprise }
  | { type: 'enterprise_updated'; data: { changes: EnterpriseChanges } };

export interface EnterpriseState extends Enterprise {
  registeredAt: string;
  updatedAt: string;
}

/**
 * One log per (jurisdiction, credit code). The key was ENTERPRISE#<code> while the register
 * was shared by all jurisdictions; nothing was deployed with it, so no data is migrated.
 * Codes match /^[a-z0-9_-]+$/ and credit codes are 18 capitals and digits: no '#' in either.
 */
export const enterpriseStream = (jurisdiction: string, uscc: string) =>
  `ENTERPRISE#${jurisdiction}#${uscc}`;

/** The register's index partition (gsi1): a jurisdiction's enterprises, by name. */
export const enterpriseRegisterPartition = (jurisdiction: string) => `ENTERPRISES#${jurisdiction}`;

/**
 * Where a hazard's messages reach the enterprise's people: `<jurisdiction>/<credit code>`
 * after the recipient (`enterprise_principal@cq-gecheng/9135…`), so that the directory
 * reads the hazard's jurisdiction's record of the enterprise, never another's.
 */
export const enterprisePlace = (jurisdiction: string, uscc: string) => `${jurisdiction}/${uscc}`;

export function enterprisePlaceParts(
  place: string,
): { jurisdiction: string; uscc: string } | undefined {
  const [jurisdiction = '', uscc = '', ...rest] = place.split('/');
  if (!jurisdiction || !uscc || rest.length) return undefined;
  return { jurisdiction, uscc };
}

export const enterpriseProjection: Projection<EnterpriseState> = projectionOf<
  EnterpriseState,
  EnterpriseEvent
>({
  apply(state, event) {
    if (event.type === 'enterprise_registered') {
      return { ...event.data, registeredAt: event.at, updatedAt: event.at };
    }
    if (!state) throw new Error(`enterprise event ${event.type} before enterprise_registered`);
    if (event.type === 'enterprise_updated') {
      return { ...state, ...event.data.changes, updatedAt: event.at };
    }
    // Events of later features (a link sent, a summons held…) leave the entry as it is.
    return state;
  },
  indexes: (state) => ({
    // A jurisdiction's register by name. DynamoDB orders by UTF-8 bytes, so Chinese names
    // come in code-point order, not pinyin; the code after the name keeps namesakes apart.
    gsi1pk: enterpriseRegisterPartition(state.jurisdiction),
    gsi1sk: `${state.name}#${state.uscc}`,
  }),
});
