import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { createTipSchema } from '../tips/schemas.ts';
import { said, text, validate } from './validation.ts';

// What a person reads when a request is refused: plain words in both languages, the field
// named by its path, never zod's own "无效输入：期望 string，实际接收 undefined".
const messagesOf = (schema: z.ZodMiniType, input: unknown) => {
  const result = validate(schema, input);
  if (result.success) throw new Error('accepted');
  return Object.fromEntries(result.issues.map((issue) => [issue.path, issue.message]));
};

describe('validation messages', () => {
  const shape = z.strictObject({
    name: z.string().check(z.minLength(1), z.maxLength(5)),
    count: z.number().check(z.lte(6)),
    kind: z.enum(['a', 'b']),
    tags: z.array(z.string()).check(z.maxLength(2)),
    said: z.string().check(z.minLength(3, said('至少三个字。', 'At least three characters.'))),
  });
  const valid = { name: 'x', count: 1, kind: 'a', tags: [], said: 'abc' };

  it('names what is wrong in plain zh and en, in one parse', () => {
    expect(messagesOf(shape, { ...valid, name: undefined })).toEqual({
      name: { zh: '此项必填。', en: 'This is required.' },
    });
    expect(messagesOf(shape, { ...valid, name: '' }).name).toEqual({
      zh: '此项必填。',
      en: 'This is required.',
    });
    expect(messagesOf(shape, { ...valid, name: 'abcdefg' }).name).toEqual({
      zh: '最多 5 个字。',
      en: 'At most 5 characters.',
    });
    expect(messagesOf(shape, { ...valid, count: 7 }).count).toEqual({
      zh: '不能大于 6。',
      en: 'This must be at most 6.',
    });
    expect(messagesOf(shape, { ...valid, count: 'seven' }).count).toEqual({
      zh: '应为数字。',
      en: 'This must be a number.',
    });
    expect(messagesOf(shape, { ...valid, kind: 'c' }).kind).toEqual({
      zh: '须为以下之一：a、b。',
      en: 'This must be one of: a, b.',
    });
    expect(messagesOf(shape, { ...valid, tags: ['1', '2', '3'] }).tags).toEqual({
      zh: '最多 2 项。',
      en: 'At most 2 items.',
    });
    expect(messagesOf(shape, { ...valid, extra: 1 })['']).toEqual({
      zh: '不接受这些字段：extra。',
      en: 'These fields are not accepted: extra.',
    });
  });

  it('refuses direction overrides, and counts only visible characters toward the least', () => {
    const tip = {
      idempotencyKey: '00000000-0000-4000-8000-000000000001',
      jurisdiction: 'cq-gecheng',
      industry: 'fire',
      address: '东门路 18 号仓库',
      description: '仓库安全出口被货物堵住，晚上尤其严重。',
      seenOn: '2026-11-20',
      isEmployee: false,
      wantsReward: false,
      photoCount: 0,
    };
    expect(validate(createTipSchema, tip).success).toBe(true);
    expect(
      messagesOf(createTipSchema, { ...tip, address: '\u202Eabc\u2066东门路' }).address,
    ).toEqual({
      zh: '文字中有改变显示方向的控制字符，请删除后重试。',
      en: 'The text contains characters that change its direction; remove them.',
    });
    expect(messagesOf(createTipSchema, { ...tip, description: '\u200B'.repeat(20) })).toEqual({
      description: { zh: '至少需要 10 个字。', en: 'Write at least 10 characters.' },
    });
    // An emoji joined by a zero-width joiner is still text people type.
    expect(
      validate(createTipSchema, { ...tip, description: `${tip.description}👩\u200D🚒` }).success,
    ).toBe(true);
  });

  it('asks for a choice a discriminated union is missing, and lists its values', () => {
    const choice = z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('pass') }),
      z.strictObject({ kind: z.literal('fail'), reasons: z.string() }),
    ]);
    const chooseOne = { zh: '请选择一项。', en: 'Choose one.' };
    expect(messagesOf(choice, {})).toEqual({ kind: chooseOne });
    expect(messagesOf(choice, { kind: '' })).toEqual({ kind: chooseOne });
    expect(messagesOf(choice, { kind: 'maybe' })).toEqual({
      kind: { zh: '须为以下之一：pass、fail。', en: 'This must be one of: pass, fail.' },
    });
  });

  it('asks for text left empty where one character is enough, and counts longer minimums', () => {
    const note = z.strictObject({
      note: text({ min: 1, max: 10 }),
      place: text({ min: 2, max: 10 }),
    });
    expect(messagesOf(note, { note: ' ', place: '' })).toEqual({
      note: { zh: '此项必填。', en: 'This is required.' },
      place: { zh: '至少需要 2 个字。', en: 'Write at least 2 characters.' },
    });
    expect(messagesOf(note, { note: '\u200B', place: 'ab' })).toEqual({
      note: { zh: '此项必填。', en: 'This is required.' },
    });
  });

  it("keeps a schema's own words", () => {
    expect(messagesOf(shape, { ...valid, said: 'ab' }).said).toEqual({
      zh: '至少三个字。',
      en: 'At least three characters.',
    });
  });

  it('words a real request the same way (a tip with too many photos)', () => {
    const messages = messagesOf(createTipSchema, { photoCount: 7 });
    expect(messages.photoCount).toEqual({ zh: '不能大于 6。', en: 'This must be at most 6.' });
    expect(messages.jurisdiction).toEqual({ zh: '此项必填。', en: 'This is required.' });
  });
});
