import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import zhCN from 'zod/v4/locales/zh-CN.js';
import type { Bilingual } from '../i18n/text.ts';

/**
 * Validation in both languages of the product. Schema authors attach a message a person
 * can act on with `said(zh, en)`; anything else gets zod's own zh-CN and English text.
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

export function validate<S extends z.ZodMiniType>(
  schema: S,
  input: unknown,
): Validated<z.output<S>> {
  const english = schema.safeParse(input, { error: en().localeError as z.core.$ZodErrorMap });
  if (english.success) return { success: true, data: english.data };
  // Only on failure: parse again for the Chinese text (issues come in the same order).
  const chinese = schema.safeParse(input, { error: zhCN().localeError as z.core.$ZodErrorMap });
  const zhIssues = chinese.success ? [] : chinese.error.issues;
  return {
    success: false,
    issues: english.error.issues.map((issue, index) => {
      const custom = fromMarker(issue.message);
      const zh = zhIssues[index]?.message ?? issue.message;
      return {
        path: issue.path.join('.'),
        message: custom ?? { zh: fromMarker(zh)?.zh ?? zh, en: issue.message },
      };
    }),
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
      z.minLength(min, said(`至少需要 ${min} 个字。`, `Write at least ${min} characters.`)),
      z.maxLength(max, said(`最多 ${max} 个字。`, `At most ${max} characters.`)),
      z.refine(
        (value) => !controls.test(value),
        said('文字中有不允许的控制字符。', 'The text contains control characters.'),
      ),
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
