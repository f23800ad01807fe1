import * as z from 'zod';
import { code, mobileNumber, said, text } from '../api/validation.ts';
import type { RecordedEvent } from '../event-log/event-log.ts';
import type { Projection } from '../event-log/event-store.ts';
import { isValidUscc, isWellFormedUscc, normalizeUscc } from './uscc.ts';

/**
 * The enterprise register (一企一档): one record per legal entity, keyed by its unified
 * social credit code, which never changes for the life of the entity. A hazard names its
 * enterprise by the same code.
 */
export const maxContacts = 10;

export const usccSchema = z
  .string()
  .transform(normalizeUscc)
  .pipe(
    z
      .string()
      .refine(isWellFormedUscc, {
        ...said(
          '统一社会信用代码应为 18 位数字或大写字母（不含 I、O、Z、S、V）。',
          'The unified social credit code is 18 digits or capital letters (no I, O, Z, S or V).',
        ),
        // A code of the wrong shape has no check character worth reporting on.
        abort: true,
      })
      .refine(
        isValidUscc,
        said(
          '统一社会信用代码校验位不正确。',
          "The unified social credit code's check character is wrong.",
        ),
      ),
  )
  .meta({ description: '统一社会信用代码 (GB 32100)', example: '91350100M000100Y43' });

const personName = text({ min: 1, max: 50 });

const person = z.object({ name: personName, mobile: mobileNumber }).strict();

const contact = z
  .object({ name: personName, role: text({ min: 1, max: 50 }), mobile: mobileNumber })
  .strict();

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
    .max(
      maxContacts,
      said(`最多登记 ${maxContacts} 位联系人。`, `At most ${maxContacts} contacts.`),
    ),
};

export const enterpriseSchema = z
  .object({ uscc: usccSchema, ...enterpriseFields })
  .strict()
  .meta({ id: 'Enterprise' });
export type Enterprise = z.output<typeof enterpriseSchema>;
export type EnterpriseInput = z.input<typeof enterpriseSchema>;

/** What an update may change: anything but the code, which is the record's identity. */
export const enterpriseChangesSchema = z
  .object(enterpriseFields)
  .partial()
  .strict()
  .refine(
    (changes) => Object.keys(changes).length > 0,
    said('没有修改内容。', 'Nothing to change.'),
  )
  .meta({ id: 'EnterpriseChanges' });
export type EnterpriseChanges = z.output<typeof enterpriseChangesSchema>;

export type EnterpriseEvent =
  | { type: 'enterprise_registered'; data: Enterprise }
  | { type: 'enterprise_updated'; data: { changes: EnterpriseChanges } };

export interface EnterpriseState extends Enterprise {
  registeredAt: string;
  updatedAt: string;
}

export const enterpriseStream = (uscc: string) => `ENTERPRISE#${uscc}`;

export const enterpriseProjection: Projection<EnterpriseState> = {
  apply(state, recorded: RecordedEvent) {
    const event = recorded as unknown as EnterpriseEvent;
    if (event.type === 'enterprise_registered') {
      return { ...event.data, registeredAt: recorded.at, updatedAt: recorded.at };
    }
    if (!state) throw new Error(`enterprise event ${recorded.type} before enterprise_registered`);
    if (event.type === 'enterprise_updated') {
      return { ...state, ...event.data.changes, updatedAt: recorded.at };
    }
    // Events of later features (a link sent, a summons held…) leave the entry as it is.
    return state;
  },
  indexes: (state) => ({
    // A jurisdiction's register by name. DynamoDB orders by UTF-8 bytes, so Chinese names
    // come in code-point order, not pinyin; the code after the name keeps namesakes apart.
    gsi1pk: `ENTERPRISES#${state.jurisdiction}`,
    gsi1sk: `${state.name}#${state.uscc}`,
  }),
};
