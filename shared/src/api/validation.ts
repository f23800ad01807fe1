import * as z from 'zod/mini';
import type { Bilingual } from '../i18n/text.ts';

/**
 * Validation in both languages of the product. Schema authors attach a message a person
 * can act on with `said(zh, en)`; anything else gets a plain one from `plainMessage`, in
 * both languages from one parse (zod's own locales said "无效输入：期望 string，实际接收
 * undefined", and bundled 5.7 KiB into every function).
 */
const marker = '\u0001qingling:';

export function said(zh: string, en: string): { error: string } {
  return { error: marker + JSON.stringify({ zh, en }) };
}

/**
 * What zod classic's `.meta(data)` does, for zod mini: a copy of the schema with `data`
 * registered (an `id` names it in the OpenAPI document; a `description` or an `example`
 * documents it). The schema itself is left as it was, so one schema can be documented
 * differently where it is used.
 */
export function withMeta<S extends z.ZodMiniType>(schema: S, data: z.core.GlobalMeta): S {
  const copy = schema.clone();
  z.globalRegistry.add(copy, data);
  return copy;
}

export interface FieldIssue {
  path: string;
  message: Bilingual;
}

function fromMarker(message: string): Bilingual | null {
  if (!message.startsWith(marker)) return null;
  return JSON.parse(message.slice(marker.length)) as Bilingual;
}

export type Validated<T> = { success: true; data: T } | { success: false; issues: FieldIssue[] };

const typeNames: Record<string, Bilingual> = {
  string: { zh: '文字', en: 'text' },
  number: { zh: '数字', en: 'a number' },
  int: { zh: '整数', en: 'a whole number' },
  boolean: { zh: '是或否', en: 'true or false' },
  object: { zh: '一组字段', en: 'a set of fields' },
  array: { zh: '列表', en: 'a list' },
};
const sizeUnits: Record<string, Bilingual> = {
  string: { zh: '个字', en: 'characters' },
  array: { zh: '项', en: 'items' },
  set: { zh: '项', en: 'items' },
  file: { zh: '字节', en: 'bytes' },
};
const formatNames: Record<string, Bilingual> = {
  email: { zh: '电子邮件地址', en: 'an e-mail address' },
  uuid: { zh: 'UUID', en: 'a UUID' },
  date: { zh: '日期（YYYY-MM-DD）', en: 'a date (YYYY-MM-DD)' },
  datetime: { zh: '时间（ISO 8601）', en: 'a time (ISO 8601)' },
  url: { zh: '网址', en: 'a URL' },
};

function oneOf(accepted: readonly unknown[]): Bilingual {
  const values = accepted.map((value) => String(value));
  return values.length === 1
    ? { zh: `须为 ${values[0]}。`, en: `This must be ${values[0]}.` }
    : {
        zh: `须为以下之一：${values.join('、')}。`,
        en: `This must be one of: ${values.join(', ')}.`,
      };
}

/** A message a person can act on, in both languages, for what a schema did not word itself. */
export function plainMessage(issue: z.core.$ZodRawIssue): Bilingual {
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) return { zh: '此项必填。', en: 'This is required.' };
      const name = typeNames[issue.expected] ?? { zh: issue.expected, en: issue.expected };
      return { zh: `应为${name.zh}。`, en: `This must be ${name.en}.` };
    }
    case 'too_big':
    case 'too_small': {
      const big = issue.code === 'too_big';
      const limit = String(big ? issue.maximum : issue.minimum);
      const unit = sizeUnits[issue.origin];
      if (!big && unit && limit === '1') return { zh: '此项必填。', en: 'This is required.' };
      if (unit) {
        return big
          ? { zh: `最多 ${limit} ${unit.zh}。`, en: `At most ${limit} ${unit.en}.` }
          : { zh: `至少 ${limit} ${unit.zh}。`, en: `At least ${limit} ${unit.en}.` };
      }
      const strict = issue.inclusive === false;
      return big
        ? strict
          ? { zh: `须小于 ${limit}。`, en: `This must be less than ${limit}.` }
          : { zh: `不能大于 ${limit}。`, en: `This must be at most ${limit}.` }
        : strict
          ? { zh: `须大于 ${limit}。`, en: `This must be more than ${limit}.` }
          : { zh: `不能小于 ${limit}。`, en: `This must be at least ${limit}.` };
    }
    case 'invalid_format': {
      const name = formatNames[issue.format];
      return name
        ? { zh: `须为${name.zh}。`, en: `This must be ${name.en}.` }
        : { zh: '格式不对。', en: 'This is not in the right format.' };
    }
    case 'not_multiple_of':
      return {
        zh: `须为 ${String(issue.divisor)} 的倍数。`,
        en: `This must be a multiple of ${String(issue.divisor)}.`,
      };
    case 'unrecognized_keys':
      return {
        zh: `不接受这些字段：${issue.keys.join('、')}。`,
        en: `These fields are not accepted: ${issue.keys.join(', ')}.`,
      };
    case 'invalid_value':
      return oneOf(issue.values);
    case 'invalid_union': {
      // A discriminated union's choice (a command's type, an outcome's kind): named by its
      // own path, asked for when missing, its values listed when wrong.
      if (issue.discriminator !== undefined) {
        const input: unknown = issue.input;
        const given =
          typeof input === 'object' && input !== null
            ? (input as Record<string, unknown>)[issue.discriminator]
            : undefined;
        if (given === undefined || given === '') return { zh: '请选择一项。', en: 'Choose one.' };
        const options = 'options' in issue ? issue.options : undefined;
        if (Array.isArray(options) && options.length > 0) return oneOf(options);
      }
      return { zh: '不是可接受的取值。', en: 'This is none of the accepted forms.' };
    }
    default:
      return { zh: '取值无效。', en: 'This value is not valid.' };
  }
}

const bilingualIssues: z.core.$ZodErrorMap = (issue) =>
  marker + JSON.stringify(plainMessage(issue));

export function validate<S extends z.ZodMiniType>(
  schema: S,
  input: unknown,
): Validated<z.output<S>> {
  const parsed = schema.safeParse(input, { error: bilingualIssues });
  if (parsed.success) return { success: true, data: parsed.data };
  return {
    success: false,
    issues: parsed.error.issues.map((issue) => ({
      path: issue.path.join('.'),
      message: fromMarker(issue.message) ?? { zh: issue.message, en: issue.message },
    })),
  };
}

/**
 * Free text as people type it: trimmed, well-formed Unicode, no control codes. It is kept
 * in NFC, not NFKC, so that Chinese full-width punctuation (，？) stays as typed; NFKC is
 * for what is checked against a pattern (numbers, codes).
 */
export function text(options: {
  min?: number;
  max: number;
  multiline?: boolean;
  normalization?: 'NFC' | 'NFKC';
}) {
  const { min = 0, max, multiline = false, normalization = 'NFC' } = options;
  // Control characters are matched on purpose: they are what this refuses.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: see above
  const multilineControls = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: see above
  const singleLineControls = /[\u0000-\u001F\u007F]/;
  const controls = multiline ? multilineControls : singleLineControls;
  // Bidirectional overrides and isolates: they make what an officer reads differ from what
  // was written (an address shown backwards); no form has a use for them.
  const directionControls = /[\u202A-\u202E\u2066-\u2069]/;
  // What counts toward the least length: no invisible format characters (zero-width spaces).
  const visibleLength = (value: string) => value.replace(/\p{Cf}/gu, '').length;
  // One character at least is a field left empty: asked for, not counted ("1 characters").
  const tooShort =
    min === 1
      ? said('此项必填。', 'This is required.')
      : said(`至少需要 ${min} 个字。`, `Write at least ${min} characters.`);
  return z.pipe(
    z.pipe(
      z
        .string()
        .check(
          z.refine(
            (value) => value.isWellFormed(),
            said('文字中有无法识别的字符。', 'The text contains broken characters.'),
          ),
        ),
      z.transform((value) => value.normalize(normalization).replace(/\r\n?/g, '\n').trim()),
    ),
    z.string().check(
      z.minLength(min, tooShort),
      z.maxLength(max, said(`最多 ${max} 个字。`, `At most ${max} characters.`)),
      z.refine(
        (value) => !controls.test(value),
        said('文字中有不允许的控制字符。', 'The text contains control characters.'),
      ),
      z.refine(
        (value) => !directionControls.test(value),
        said(
          '文字中有改变显示方向的控制字符，请删除后重试。',
          'The text contains characters that change its direction; remove them.',
        ),
      ),
      z.refine((value) => value.length < min || visibleLength(value) >= min, tooShort),
    ),
  );
}

/** A mainland mobile number: 11 digits, 1[3-9] then 9 digits, after NFKC and spaces removed. */
export const mobileNumber = z.pipe(
  z.pipe(
    z.string(),
    z.transform((value) => value.normalize('NFKC').replace(/[\s-]/g, '')),
  ),
  z
    .string()
    .check(
      z.regex(/^1[3-9]\d{9}$/, said('请输入 11 位手机号码。', 'Enter an 11-digit mobile number.')),
    ),
);

/** A reference-data code (jurisdiction, industry, department): lower case, digits, _ and -. */
export const code = (example: string) =>
  withMeta(
    z
      .string()
      .check(z.regex(/^[a-z0-9_-]{2,64}$/, said('代码格式有误。', 'The code is not valid.'))),
    { example },
  );

/** The key a client makes once per submission and reuses on its retries. */
export const idempotencyKey = withMeta(
  z.uuid(
    said(
      '请求编号（idempotencyKey）应为 UUID 格式。',
      'The request key (idempotencyKey) must be a UUID.',
    ),
  ),
  { description: 'A UUID the client makes once per submission and reuses on retries.' },
);

/**
 * The most a record's version or revision can be: far above any real count, and an
 * integer every store holds exactly (a client's 2^53 would otherwise fail on its +1).
 */
export const maxRecordVersion = 1_000_000_000;
